package io.projector.sfu.dtls;

/**
 * The SRTP protection profiles Projector negotiates through the DTLS use_srtp extension (RFC 5764, RFC 7714).
 * Only these two are offered/accepted: every WebRTC browser supports both, and jitsi-srtp implements both.
 */
public enum SrtpProfile {
    /** RFC 7714: AES-128 in GCM mode, 16-byte tag; cheaper per packet than CM+HMAC and preferred when offered. */
    AEAD_AES_128_GCM(0x0007, 16, 12),
    /** RFC 3711/5764 mandatory-to-implement profile: AES-128 counter mode with an 80-bit HMAC-SHA1 tag. */
    AES_CM_128_HMAC_SHA1_80(0x0001, 16, 14);

    private final int id;
    private final int keyLength;
    private final int saltLength;

    SrtpProfile(int id, int keyLength, int saltLength) {
        this.id = id;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
    }

    /** The SRTPProtectionProfile value carried in the use_srtp extension. */
    public int id() {
        return id;
    }

    /** Master key length in bytes. */
    public int keyLength() {
        return keyLength;
    }

    /** Master salt length in bytes. */
    public int saltLength() {
        return saltLength;
    }

    /** The profile with the given use_srtp id, or null when it is not one Projector supports. */
    public static SrtpProfile byId(int id) {
        for (SrtpProfile p : values()) {
            if (p.id == id) {
                return p;
            }
        }
        return null;
    }
}
