package io.projector.sfu.sdp;

/**
 * A session description (or trickle fragment) that cannot be parsed or negotiated.
 *
 * <p>The message is meant to be shown to the remote client (e.g. in a WHIP 400 response body), so it
 * is a short human reason and never echoes more than 80 characters of the offending input.
 */
public final class SdpException extends Exception {
    private static final long serialVersionUID = 1L;

    public SdpException(String message) {
        super(message);
    }
}
