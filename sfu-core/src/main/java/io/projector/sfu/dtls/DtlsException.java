package io.projector.sfu.dtls;

/** The DTLS association could not be established or failed. Messages never contain key material. */
public class DtlsException extends Exception {
    private static final long serialVersionUID = 1L;

    public DtlsException(String message) {
        super(message);
    }

    public DtlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
