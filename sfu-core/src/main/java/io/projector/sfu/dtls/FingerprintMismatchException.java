package io.projector.sfu.dtls;

/**
 * The peer's certificate does not match the a=fingerprint from its SDP (or it sent none). This is the only
 * thing that authenticates a WebRTC peer, so the handshake is aborted with a bad_certificate alert.
 * The message may name both fingerprints (abbreviated); they are public values, not secrets.
 */
public final class FingerprintMismatchException extends DtlsException {
    private static final long serialVersionUID = 1L;

    public FingerprintMismatchException(String message) {
        super(message);
    }

    public FingerprintMismatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
