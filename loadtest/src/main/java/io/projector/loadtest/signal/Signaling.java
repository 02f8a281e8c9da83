package io.projector.loadtest.signal;

import java.io.IOException;

/**
 * How the load generator reaches a media server: one presenter publishes, many viewers subscribe. Two servers
 * are spoken to: Projector over WHIP/WHEP ({@link WhipWhep}), and Janus' VideoRoom over its HTTP API (for the
 * side-by-side benchmark). Implementations are thread-safe: viewers join from several threads during a ramp.
 */
public interface Signaling extends AutoCloseable {

  /** Sends the presenter's SDP offer; returns the server's SDP answer once the server accepted it. */
  String publish(String offerSdp) throws IOException, InterruptedException;

  /**
   * Joins one viewer. WHEP posts the viewer's offer and returns the server's answer; Janus sends its own
   * offer, which the viewer answers. The result says which happened.
   */
  Negotiated subscribe(ViewerSdp viewer) throws IOException, InterruptedException;

  /** Removes one viewer (WHEP DELETE, Janus detach); best effort. */
  void unsubscribe(Negotiated viewer);

  /** Ends the presentation and releases server-side resources; best effort. */
  @Override
  void close();
}
