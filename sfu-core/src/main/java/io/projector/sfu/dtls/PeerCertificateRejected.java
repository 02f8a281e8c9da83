package io.projector.sfu.dtls;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;

/**
 * Thrown from BC's certificate callbacks: BC sends the bad_certificate alert and rethrows this same instance out
 * of accept()/connect(), which lets DtlsTransport report it as a FingerprintMismatchException.
 */
final class PeerCertificateRejected extends TlsFatalAlert {
    private static final long serialVersionUID = 1L;

    private final String reason;

    PeerCertificateRejected(String reason) {
        super(AlertDescription.bad_certificate, reason);
        this.reason = reason;
    }

    /** The detail without BC's "bad_certificate(42); " prefix. */
    String reason() {
        return reason;
    }
}
