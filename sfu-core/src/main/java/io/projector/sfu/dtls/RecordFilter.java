package io.projector.sfu.dtls;

import org.bouncycastle.tls.CipherSuite;

/**
 * Spots DTLS records that cannot be genuine before BouncyCastle sees them. A protected record (epoch ≥ 1) shorter
 * than the negotiated cipher's explicit nonce + tag (or IV + MAC + padding) is answered by BC with a fatal alert
 * that ends the association; such records are forgeries or corruption and are dropped instead.
 *
 * <pre>
 * DTLS record header: type(1) version(2) epoch(2) sequence_number(6) length(2), then `length` bytes of fragment
 * </pre>
 */
final class RecordFilter {
    static final int HEADER_LENGTH = 13;

    private RecordFilter() {
    }

    /** The minimum fragment length of a protected record for the suite, or 0 when unknown (no filtering). */
    static int minProtectedFragment(int cipherSuite) {
        switch (cipherSuite) {
            case CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256:
            case CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384:
                return 8 + 16; // explicit nonce + tag
            case CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256:
                return 16; // tag
            case CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA:
            case CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA:
                return 16 + 32; // IV + (20-byte MAC + padding, rounded to the block)
            case CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256:
                return 16 + 48; // IV + (32-byte MAC + padding, rounded to the block)
            default:
                return 0;
        }
    }

    /** Whether any record of the datagram is protected and shorter than possible (or the datagram is cut short). */
    static boolean hasImpossibleProtectedRecord(byte[] buf, int off, int len, int minFragment) {
        int pos = off;
        int end = off + len;
        while (pos < end) {
            if (end - pos < HEADER_LENGTH) {
                return true;
            }
            int epoch = ((buf[pos + 3] & 0xff) << 8) | (buf[pos + 4] & 0xff);
            int fragment = ((buf[pos + 11] & 0xff) << 8) | (buf[pos + 12] & 0xff);
            if (pos + HEADER_LENGTH + fragment > end || (epoch >= 1 && fragment < minFragment)) {
                return true;
            }
            pos += HEADER_LENGTH + fragment;
        }
        return false;
    }
}
