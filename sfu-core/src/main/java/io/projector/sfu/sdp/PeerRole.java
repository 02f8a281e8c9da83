package io.projector.sfu.sdp;

/** What the remote peer does in a session: publishes media to the SFU or receives it from the SFU. */
public enum PeerRole {
    PRESENTER,
    VIEWER
}
