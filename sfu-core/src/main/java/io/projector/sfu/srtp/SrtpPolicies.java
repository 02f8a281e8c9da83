package io.projector.sfu.srtp;

import java.util.logging.Level;

import io.projector.sfu.dtls.SrtpProfile;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.utils.logging2.LoggerImpl;

/** Maps an SrtpProfile to jitsi-srtp policies and builds the per-direction context factory. */
final class SrtpPolicies {
    /** HMAC-SHA1 session authentication key length (RFC 3711 default). */
    private static final int HMAC_SHA1_KEY_BYTES = 20;

    private SrtpPolicies() {
    }

    /** Authentication tag appended to SRTP packets (GCM tag or truncated HMAC). */
    static int tagLength(SrtpProfile profile) {
        return switch (profile) {
            case AEAD_AES_128_GCM -> 16;
            case AES_CM_128_HMAC_SHA1_80 -> 10;
        };
    }

    static SrtpContextFactory factory(boolean sender, SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        if (masterKey == null || masterKey.length != profile.keyLength()
                || masterSalt == null || masterSalt.length != profile.saltLength()) {
            throw new IllegalArgumentException(profile + " needs a " + profile.keyLength() + "-byte master key and a "
                    + profile.saltLength() + "-byte master salt");
        }
        SrtpPolicy srtp = policy(profile);
        // Retransmissions (NACK answered without RTX) resend an identical packet under the same index; that
        // reveals nothing. libwebrtc allows the same (allow_repeat_tx). The jitsi sender-side check would
        // instead drop the packet and log an error per packet.
        srtp.setSendReplayEnabled(false);
        SrtpPolicy srtcp = policy(profile);
        return new SrtpContextFactory(sender, masterKey, masterSalt, srtp, srtcp, logger());
    }

    private static SrtpPolicy policy(SrtpProfile profile) {
        return switch (profile) {
            case AEAD_AES_128_GCM -> new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, profile.keyLength(),
                    SrtpPolicy.NULL_AUTHENTICATION, 0, tagLength(profile), profile.saltLength());
            case AES_CM_128_HMAC_SHA1_80 -> new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, profile.keyLength(),
                    SrtpPolicy.HMACSHA1_AUTHENTICATION, HMAC_SHA1_KEY_BYTES, tagLength(profile),
                    profile.saltLength());
        };
    }

    /**
     * jitsi-srtp logs per packet at INFO (e.g. every GCM decryption error); we count instead, so only
     * WARNING and above get through. Child loggers inherit this minimum level.
     */
    private static LoggerImpl logger() {
        return new LoggerImpl(SrtpPolicies.class.getPackageName() + ".jitsi", Level.WARNING);
    }
}
