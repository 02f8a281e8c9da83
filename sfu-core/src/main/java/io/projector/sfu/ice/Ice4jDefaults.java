package io.projector.sfu.ice;

/**
 * Process-wide ice4j settings, applied once before any ice4j class reads its configuration. We use ice4j's STUN
 * codec only (see {@link StunResponder}); its responses carry no SOFTWARE attribute naming the server.
 */
final class Ice4jDefaults {
  private static boolean applied;

  private Ice4jDefaults() {}

  static synchronized void apply() {
    if (applied) {
      return;
    }
    applied = true;
    System.setProperty("ice4j.software", "");
  }
}
