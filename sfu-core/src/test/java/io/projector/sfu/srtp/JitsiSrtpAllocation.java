package io.projector.sfu.srtp;

import io.projector.sfu.dtls.SrtpProfile;

/**
 * What jitsi-srtp allocates per call, measured on this JVM after warm-up, so that allocation tests of our own
 * packet path can subtract it. The bytes per call depend on the profile and on the AES provider jitsi-srtp
 * uses, not on the packet ({@link SrtpAllocationTest} says where they come from).
 *
 * @param protectRtpBytes   per {@link SrtpEncoder#protectRtp}
 * @param protectRtcpBytes  per {@link SrtpEncoder#protectRtcp}
 * @param unprotectRtpBytes per {@link SrtpDecoder#unprotectRtp}
 */
public record JitsiSrtpAllocation(double protectRtpBytes, double protectRtcpBytes, double unprotectRtpBytes) {
  private static final int WARM_UP_CALLS = 30_000;
  private static final int MEASURED_CALLS = 20_000;
  private static final int PAYLOAD_BYTES = 1000;

  public static JitsiSrtpAllocation measure(SrtpProfile profile) {
    return new Probe(profile).measure();
  }

  /** One encoder and decoder with the same keys, taking turns on one packet buffer. */
  private static final class Probe {
    final SrtpEncoder encoder;
    final SrtpDecoder decoder;
    final byte[] rtp = TestPackets.rtp(0x5eed, 0, PAYLOAD_BYTES);
    final byte[] rtcp = TestPackets.receiverReport(0x5eed, 7);
    int seq;

    Probe(SrtpProfile profile) {
      byte[] key = new byte[profile.keyLength()];
      byte[] salt = new byte[profile.saltLength()];
      key[0] = 42;
      encoder = new SrtpEncoder(profile, key, salt);
      decoder = new SrtpDecoder(profile, key, salt);
    }

    JitsiSrtpAllocation measure() {
      for (int i = 0; i < WARM_UP_CALLS; i++) {
        unprotectRtp(protectRtp());
        protectRtcp();
      }
      long start = ThreadAllocation.bytes();
      for (int i = 0; i < MEASURED_CALLS; i++) {
        protectRtp();
      }
      long protectRtpBytes = ThreadAllocation.bytes() - start;
      start = ThreadAllocation.bytes();
      for (int i = 0; i < MEASURED_CALLS; i++) {
        protectRtcp();
      }
      long protectRtcpBytes = ThreadAllocation.bytes() - start;
      long unprotectRtpBytes = 0;
      for (int i = 0; i < MEASURED_CALLS; i++) {
        int len = protectRtp();
        start = ThreadAllocation.bytes();
        unprotectRtp(len);
        unprotectRtpBytes += ThreadAllocation.bytes() - start;
      }
      return new JitsiSrtpAllocation(perCall(protectRtpBytes), perCall(protectRtcpBytes), perCall(unprotectRtpBytes));
    }

    /** Protects the packet in place under the next sequence number; returns the protected length. */
    int protectRtp() {
      seq = (seq + 1) & 0xffff;
      TestPackets.writeShort(rtp, 2, seq);
      int len = encoder.protectRtp(rtp, 0, TestPackets.rtpLength(PAYLOAD_BYTES));
      if (len <= 0) {
        throw new AssertionError("protectRtp failed");
      }
      return len;
    }

    void unprotectRtp(int protectedLength) {
      if (decoder.unprotectRtp(rtp, 0, protectedLength) != TestPackets.rtpLength(PAYLOAD_BYTES)) {
        throw new AssertionError("unprotectRtp failed");
      }
    }

    /** Protects the report in place again and again: the header stays plain, the body is just bytes. */
    void protectRtcp() {
      if (encoder.protectRtcp(rtcp, 0, TestPackets.RECEIVER_REPORT_LENGTH) <= 0) {
        throw new AssertionError("protectRtcp failed");
      }
    }
  }

  private static double perCall(long bytes) {
    return bytes / (double) MEASURED_CALLS;
  }
}
