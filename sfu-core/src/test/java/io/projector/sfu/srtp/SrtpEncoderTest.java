package io.projector.sfu.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.HexFormat;

import io.projector.sfu.dtls.SrtpProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Known-answer tests use the published libsrtp test vectors (srtp_driver.c). libsrtp is what Chrome uses, so
 * matching them byte for byte is the strongest offline interop evidence we can get.
 */
class SrtpEncoderTest {
    private static final HexFormat HEX = HexFormat.of();

    /** 12-byte header (SSRC 0xcafebabe, seq 0x1234) + 16 bytes of 0xab. */
    private static final String RTP_PLAIN = "800f1234decafbadcafebabe" + "ab".repeat(16);
    /** RTCP sender report header (PT 200, sender SSRC 0xcafebabe) + 16 bytes of 0xab. */
    private static final String RTCP_PLAIN = "81c8000bcafebabe" + "ab".repeat(16);

    @Test
    void aesCmHmacSha1OutputMatchesTheLibsrtpVectors() {
        SrtpEncoder encoder = new SrtpEncoder(SrtpProfile.AES_CM_128_HMAC_SHA1_80,
                HEX.parseHex("e1f97a0d3e018be0d64fa32c06de4139"), HEX.parseHex("0ec675ad498afeebb6960b3aabe6"));

        assertProtectsTo(encoder, false, RTP_PLAIN,
                "800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb");
        // The reference SRTCP packet carries index 1, i.e. it is the second packet protected.
        protect(encoder, true, RTCP_PLAIN);
        assertProtectsTo(encoder, true, RTCP_PLAIN,
                "81c8000bcafebabe7128035be487b9bdbef89041f977a5a880000001993e08cd54d6c1230798");
    }

    @Test
    void aesGcmOutputMatchesTheLibsrtpVectors() {
        SrtpEncoder encoder = new SrtpEncoder(SrtpProfile.AEAD_AES_128_GCM,
                HEX.parseHex("000102030405060708090a0b0c0d0e0f"), HEX.parseHex("a0a1a2a3a4a5a6a7a8a9aaab"));

        assertProtectsTo(encoder, false, RTP_PLAIN,
                "800f1234decafbadcafebabec5002ede04cfdd2eb91159e0880aa06ed2976826f796b201df3131a127e8a392");
        protect(encoder, true, RTCP_PLAIN);
        assertProtectsTo(encoder, true, RTCP_PLAIN,
                "81c8000bcafebabec98b8b5df0392a55852b6c21ac8e7025c52c6fbea2b3b446ea31123ba88ce61e80000001");
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void packetWithoutEnoughTailRoomIsRefusedWithoutReallocating(SrtpProfile profile) {
        SrtpEncoder encoder = new SrtpEncoder(profile, new byte[profile.keyLength()], new byte[profile.saltLength()]);
        byte[] exact = TestPackets.copy(TestPackets.rtp(1, 1, 50), TestPackets.rtpLength(50));

        assertEquals(SrtpEncoder.FAILED, encoder.protectRtp(exact, 0, exact.length));
        assertEquals(SrtpEncoder.FAILED, encoder.protectRtcp(exact, 0, exact.length));
        assertEquals(2, encoder.failures());
        assertEquals(0, encoder.reallocations());
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void packetAtANonZeroOffsetRoundTrips(SrtpProfile profile) {
        byte[] key = new byte[profile.keyLength()];
        byte[] salt = new byte[profile.saltLength()];
        key[0] = 1;
        SrtpEncoder encoder = new SrtpEncoder(profile, key, salt);
        SrtpDecoder decoder = new SrtpDecoder(profile, key, salt);
        int offset = 17;
        int len = TestPackets.rtpLength(40);
        byte[] buf = new byte[offset + len + SrtpEncoder.MAX_OVERHEAD];
        System.arraycopy(TestPackets.rtp(99, 5, 40), 0, buf, offset, len);
        byte[] plain = Arrays.copyOfRange(buf, offset, offset + len);

        int protectedLen = encoder.protectRtp(buf, offset, len);
        assertEquals(len, decoder.unprotectRtp(buf, offset, protectedLen));
        assertArrayEquals(plain, Arrays.copyOfRange(buf, offset, offset + len));
    }

    @Test
    void invalidRtpIsRefusedAndCounted() {
        SrtpEncoder encoder = new SrtpEncoder(SrtpProfile.AEAD_AES_128_GCM, new byte[16], new byte[12]);
        byte[] buf = TestPackets.rtp(1, 1, 10);
        buf[0] = 0x40; // version 1
        assertEquals(SrtpEncoder.FAILED, encoder.protectRtp(buf, 0, TestPackets.rtpLength(10)));
        assertEquals(SrtpEncoder.FAILED, encoder.protectRtp(buf, 0, 11));
        assertEquals(SrtpEncoder.FAILED, encoder.protectRtp(null, 0, 11));
        assertEquals(3, encoder.failures());
    }

    private static int protect(SrtpEncoder encoder, boolean rtcp, String plainHex) {
        byte[] plain = HEX.parseHex(plainHex);
        byte[] buf = new byte[plain.length + SrtpEncoder.MAX_OVERHEAD];
        System.arraycopy(plain, 0, buf, 0, plain.length);
        return rtcp ? encoder.protectRtcp(buf, 0, plain.length) : encoder.protectRtp(buf, 0, plain.length);
    }

    private static void assertProtectsTo(SrtpEncoder encoder, boolean rtcp, String plainHex, String expectedHex) {
        byte[] plain = HEX.parseHex(plainHex);
        byte[] buf = new byte[plain.length + SrtpEncoder.MAX_OVERHEAD];
        System.arraycopy(plain, 0, buf, 0, plain.length);
        int len = rtcp ? encoder.protectRtcp(buf, 0, plain.length) : encoder.protectRtp(buf, 0, plain.length);
        assertEquals(expectedHex, HEX.formatHex(buf, 0, len));
    }
}
