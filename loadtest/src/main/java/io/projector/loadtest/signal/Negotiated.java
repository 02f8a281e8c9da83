package io.projector.loadtest.signal;

/**
 * The outcome of one viewer's SDP exchange.
 *
 * @param remoteSdp the server's SDP: an answer to our offer, or the offer we answered
 * @param remoteIsOffer true when the server made the offer (and is the ICE controlling side)
 * @param handle what {@link Signaling#unsubscribe} needs to remove the viewer (a URL or an id)
 */
public record Negotiated(String remoteSdp, boolean remoteIsOffer, String handle) {
}
