package io.projector.sfu.srtp;

import java.util.logging.Level;

import io.projector.sfu.dtls.SrtpProfile;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.srtp.crypto.Aes;
import org.jitsi.srtp.crypto.JitsiOpenSslProvider;
import org.jitsi.utils.logging2.LoggerImpl;

/** Maps an SrtpProfile to jitsi-srtp policies and builds the per-direction context factory. */
final class SrtpPolicies {
    /** HMAC-SHA1 session authentication key length (RFC 3711 default). */
    private static final int HMAC_SHA1_KEY_BYTES = 20;

    static {
        preferOpenSslAes();
    }

    private SrtpPolicies() {
    }

    /**
     * Makes jitsi-srtp use its OpenSSL AES for every mode when its native binding is loaded. Left alone, it times
     * each provider briefly once per JVM and keeps the fastest per mode: on a busy machine that pick changes from
     * one start to the next (here SunJCE won AES-CTR in most starts and even GCM in one). Through jitsi-srtp's
     * per-packet {@code Cipher.init} the two differ by an order of magnitude in garbage: with SunJCE a protected
     * packet costs 1.1 to 1.3 KB (a payload copy included, as jitsi-srtp encrypts in place), with OpenSSL 64 to
     * 104 bytes (the IV parameter objects and HMAC tag jitsi-srtp itself creates); at 100 viewers and 1000
     * packets a second, about 110 to 135 MB/s of garbage against 6 to 10. SunJCE is 10 to 17% faster per packet
     * once warm (JMH, bench/jmh/README.md); we take that CPU for a steady heap and a choice that does not vary.
     * This is all the forwarding path allocates per viewer and packet. Must run before the first cipher is
     * created (jitsi-srtp keeps its pick per mode); every SRTP context here is created through this class.
     */
    private static void preferOpenSslAes() {
        if (JitsiOpenSslProvider.isLoaded()) {
            Aes.setFactoryClassName("OpenSSL");
        }
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
