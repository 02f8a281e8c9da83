package io.projector.sfu.session;

/** The result of a successful negotiation: the new peer's id (for the WHIP/WHEP resource URL) and the answer. */
public record PeerAnswer(String peerId, String answerSdp) {}
