package io.projector.sfu.ice;

import org.ice4j.ice.harvest.AbstractUdpListener;

/**
 * Process-wide ice4j settings, applied once before any ice4j class reads its configuration.
 *
 * <ul>
 *   <li>The AWS mapping harvester probes a cloud metadata address over HTTP at start-up: never wanted here,
 *       operators announce public addresses explicitly.</li>
 *   <li>The browser, as ICE controller, may move media to another valid pair after nomination (e.g. from a
 *       peer-reflexive IPv6 pair to loopback). We keep answering checks on every succeeded pair (see
 *       {@link IceTransport}) and send to wherever the browser last sent from, so such a switch never looks like
 *       lost consent to the browser.</li>
 *   <li>The push API hands each received datagram straight to our callback on the socket's reader thread,
 *       instead of queueing it behind a per-peer socket that another thread must poll.</li>
 * </ul>
 */
final class Ice4jDefaults {
  private static boolean applied;

  private Ice4jDefaults() {}

  static synchronized void apply() {
    if (applied) {
      return;
    }
    applied = true;
    System.setProperty("ice4j.harvest.mapping.aws.enabled", "false");
    System.setProperty("ice4j.harvest.mapping.aws.force", "false");
    System.setProperty("ice4j.harvest.use-link-local-addresses", "false");
    System.setProperty("ice4j.software", "");
    System.setProperty("ice4j.send-to-last-received-from-address", "true");
    AbstractUdpListener.USE_PUSH_API = true;
  }
}
