package io.projector.sfu.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import io.projector.sfu.dtls.SrtpProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SrtpDecoderTest {
    private static final int SSRC = 0x1234_5678;
    private static final int PAYLOAD_BYTES = 100;

    private final Random random = new Random(42);

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** The sending end matching the decoder most recently returned by {@link #pair}. */
    private SrtpEncoder encoder;

    /** An encoder/decoder pair sharing one random key, as the two ends of one direction of a call. */
    private SrtpDecoder pair(SrtpProfile profile) {
        byte[] key = bytes(profile.keyLength());
        byte[] salt = bytes(profile.saltLength());
        encoder = new SrtpEncoder(profile, key, salt);
        return new SrtpDecoder(profile, key, salt);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void protectedRtpAndRtcpUnprotectToTheOriginalBytes(SrtpProfile profile) {
        SrtpDecoder decoder = pair(profile);
        for (int seq = 1000; seq < 1010; seq++) {
            byte[] buf = TestPackets.rtp(SSRC, seq, PAYLOAD_BYTES);
            int len = TestPackets.rtpLength(PAYLOAD_BYTES);
            byte[] plain = TestPackets.copy(buf, len);
            int protectedLen = encoder.protectRtp(buf, 0, len);
            assertTrue(protectedLen > len, "SRTP adds a tag");
            assertEquals(plain.length, decoder.unprotectRtp(buf, 0, protectedLen));
            assertArrayEquals(plain, TestPackets.copy(buf, plain.length));
        }
        byte[] rtcp = TestPackets.receiverReport(SSRC, 0x0BAD_CAFE);
        byte[] plainRtcp = TestPackets.copy(rtcp, TestPackets.RECEIVER_REPORT_LENGTH);
        int protectedLen = encoder.protectRtcp(rtcp, 0, TestPackets.RECEIVER_REPORT_LENGTH);
        assertEquals(TestPackets.RECEIVER_REPORT_LENGTH, decoder.unprotectRtcp(rtcp, 0, protectedLen));
        assertArrayEquals(plainRtcp, TestPackets.copy(rtcp, TestPackets.RECEIVER_REPORT_LENGTH));
        assertEquals(0, decoder.authFailures() + decoder.replays() + decoder.malformed());
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void tamperedPacketIsRejectedAndCountedAsAuthFailure(SrtpProfile profile) {
        SrtpDecoder decoder = pair(profile);
        byte[] buf = TestPackets.rtp(SSRC, 1, PAYLOAD_BYTES);
        int len = encoder.protectRtp(buf, 0, TestPackets.rtpLength(PAYLOAD_BYTES));
        buf[20] ^= 0x01;

        assertEquals(SrtpDecoder.AUTH_FAILED, decoder.unprotectRtp(buf, 0, len));
        assertEquals(1, decoder.authFailures());
        assertEquals(0, decoder.replays());
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void replayedRtpAndRtcpPacketsAreRejectedAndCounted(SrtpProfile profile) {
        SrtpDecoder decoder = pair(profile);
        byte[] buf = TestPackets.rtp(SSRC, 7, PAYLOAD_BYTES);
        int len = encoder.protectRtp(buf, 0, TestPackets.rtpLength(PAYLOAD_BYTES));
        byte[] replay = TestPackets.copy(buf, len);
        assertTrue(decoder.unprotectRtp(buf, 0, len) > 0);
        assertEquals(SrtpDecoder.REPLAYED, decoder.unprotectRtp(replay, 0, len));

        byte[] rtcp = TestPackets.receiverReport(SSRC, 1);
        int rtcpLen = encoder.protectRtcp(rtcp, 0, TestPackets.RECEIVER_REPORT_LENGTH);
        byte[] rtcpReplay = TestPackets.copy(rtcp, rtcpLen);
        assertTrue(decoder.unprotectRtcp(rtcp, 0, rtcpLen) > 0);
        assertEquals(SrtpDecoder.REPLAYED, decoder.unprotectRtcp(rtcpReplay, 0, rtcpLen));

        assertEquals(2, decoder.replays());
        assertEquals(0, decoder.authFailures());
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void randomGarbageOfEveryLengthReturnsNegativeAndNeverThrows(SrtpProfile profile) {
        SrtpDecoder decoder = pair(profile);
        int attempts = 0;
        for (int len = 0; len <= 200; len++) {
            for (int round = 0; round < 4; round++) {
                byte[] garbage = bytes(len + 8);
                if (round % 2 == 1 && len > 0) {
                    garbage[3] = (byte) ((garbage[3] & 0x3F) | 0x80); // version 2 passes the cheap pre-checks
                }
                assertTrue(decoder.unprotectRtp(garbage, 3, len) < 0);
                assertTrue(decoder.unprotectRtcp(garbage, 3, len) < 0);
                attempts += 2;
            }
        }
        assertEquals(attempts, decoder.authFailures() + decoder.replays() + decoder.malformed());
    }

    @Test
    void outOfBoundsArgumentsAreMalformedNotExceptions() {
        SrtpDecoder decoder = pair(SrtpProfile.AEAD_AES_128_GCM);
        byte[] buf = new byte[64];
        assertEquals(SrtpDecoder.MALFORMED, decoder.unprotectRtp(null, 0, 40));
        assertEquals(SrtpDecoder.MALFORMED, decoder.unprotectRtp(buf, -1, 40));
        assertEquals(SrtpDecoder.MALFORMED, decoder.unprotectRtp(buf, 40, 40));
        assertEquals(SrtpDecoder.MALFORMED, decoder.unprotectRtcp(buf, Integer.MAX_VALUE, 40));
        assertEquals(SrtpDecoder.MALFORMED, decoder.unprotectRtcp(buf, 0, -5));
        assertEquals(5, decoder.malformed());
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void everyTruncationOfAValidPacketIsRejected(SrtpProfile profile) {
        SrtpDecoder decoder = pair(profile);
        byte[] buf = TestPackets.rtp(SSRC, 1, PAYLOAD_BYTES);
        int len = encoder.protectRtp(buf, 0, TestPackets.rtpLength(PAYLOAD_BYTES));
        for (int cut = 0; cut < len; cut++) {
            assertTrue(decoder.unprotectRtp(Arrays.copyOf(buf, len), 0, cut) < 0, "length " + cut);
        }
    }

    @Test
    void garbageWithManyDifferentSsrcsDoesNotExhaustTheStreamTable() {
        SrtpDecoder decoder = pair(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        for (int i = 0; i < 2 * SrtpDecoder.MAX_REMOTE_SSRCS; i++) {
            byte[] fake = TestPackets.rtp(random.nextInt(), i, PAYLOAD_BYTES);
            assertEquals(SrtpDecoder.AUTH_FAILED, decoder.unprotectRtp(fake, 0, TestPackets.rtpLength(PAYLOAD_BYTES) + 10));
        }
        byte[] buf = TestPackets.rtp(SSRC, 1, PAYLOAD_BYTES);
        int len = encoder.protectRtp(buf, 0, TestPackets.rtpLength(PAYLOAD_BYTES));
        assertEquals(TestPackets.rtpLength(PAYLOAD_BYTES), decoder.unprotectRtp(buf, 0, len));
        assertEquals(0, decoder.tooManySsrcs());
    }
}
