package io.projector.sfu.session;

/** Events of one media session. Called on the session's worker thread: hand off, do not block. */
public interface SessionListener {
  void onPresenterLive(boolean live);

  void onViewerCount(int connectedViewers);

  /** A peer left: DELETE, timeout, ICE/DTLS failure, replaced presenter, or session closed. */
  default void onPeerRemoved(String peerId, String reason) {}

  /**
   * The simulcast layers (rids, lowest first) the presenter should send changed; also once for each new presenter
   * sending three or more layers. Advice to a presenter that can pause layers (see
   * {@link io.projector.sfu.forward.LayerDemand}).
   */
  default void onLayerAdvice(java.util.List<String> activeRids) {}
}
