package io.projector.sfu.session;

/** Creates media sessions (keeps the session constructor package-private). */
public final class Sessions {
  private Sessions() {}

  public static MediaSession create(String id, SessionContext context) {
    return new MediaSession(id, context);
  }
}
