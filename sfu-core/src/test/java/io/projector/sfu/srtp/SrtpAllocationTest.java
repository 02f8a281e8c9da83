package io.projector.sfu.srtp;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.projector.sfu.dtls.SrtpProfile;
import org.jitsi.srtp.crypto.JitsiOpenSslProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Pins down what jitsi-srtp allocates per packet, which our code cannot avoid through its API (every call goes
 * through {@code SrtpCryptoContext#transformPacket} / {@code #reverseTransformPacket}, which set up the cipher
 * afresh for each packet's IV):
 * <ul>
 *   <li>{@code org.jitsi.srtp.crypto.SrtpCipherGcm#setIV} creates a {@code GCMParameterSpec} per packet and
 *       {@code SrtpCipherCtr#setIV} an {@code IvParameterSpec}, each cloning the IV: the JCE
 *       {@code Cipher.init} contract needs a parameter object for every new IV;
 *   <li>{@code OpenSslAesGcmCipherSpi#engineInit} / {@code OpenSslAesCtrCipherSpi#engineInit} copy the IV once
 *       more ({@code getIV()});
 *   <li>AES-CM + HMAC-SHA1: {@code BaseSrtpCryptoContext#authenticatePacketHmac} returns {@code Mac.doFinal()},
 *       a new 20-byte array per packet;
 *   <li>{@code SrtpCryptoContext#logReplayWindow} (every RTP packet) and {@code #reverseTransformPacket} (every
 *       received one) build a capturing lambda for {@code logger.debug}, 24 bytes each. The C2 compiler's escape
 *       analysis removes these once the code is hot; the allocation tests run without escape analysis (see the
 *       sfu-core pom), so here they count.
 * </ul>
 * Measured here with jitsi-srtp's OpenSSL ciphers and without escape analysis: GCM 112 B per protected RTP
 * packet (64 to 88 in production, as escape analysis removes some), 136 B per unprotected one; AES-CM + HMAC
 * 144 B and 168 B. With SunJCE, which {@link SrtpPolicies} now avoids, a protected packet cost about 1.2 to 1.4 KB.
 * Tests of our own packet path subtract what {@link JitsiSrtpAllocation} measures.
 */
class SrtpAllocationTest {
  /** Above the largest measured cost (168 B), far below what SunJCE's AES costs per packet (about 1 KB). */
  private static final double MAX_BYTES_PER_CALL_WITH_OPENSSL = 200;

  @ParameterizedTest
  @EnumSource(SrtpProfile.class)
  void jitsiSrtpAllocatesOnlyIvParametersTagsAndLogLambdasPerPacket(SrtpProfile profile) {
    assumeTrue(ThreadAllocation.countsEveryAllocation(), ThreadAllocation.ONLY_WITHOUT_ESCAPE_ANALYSIS);
    assumeTrue(JitsiOpenSslProvider.isLoaded(), "jitsi-srtp's OpenSSL ciphers are not available here");

    JitsiSrtpAllocation cost = JitsiSrtpAllocation.measure(profile);

    assertTrue(cost.protectRtpBytes() <= MAX_BYTES_PER_CALL_WITH_OPENSSL, profile + " " + cost);
    assertTrue(cost.protectRtcpBytes() <= MAX_BYTES_PER_CALL_WITH_OPENSSL, profile + " " + cost);
    assertTrue(cost.unprotectRtpBytes() <= MAX_BYTES_PER_CALL_WITH_OPENSSL, profile + " " + cost);
  }
}
