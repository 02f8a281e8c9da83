package io.projector.sfu.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.projector.sfu.dtls.SrtpProfile;
import io.projector.sfu.forward.LayerSelector;
import io.projector.sfu.ice.DatagramSender;
import io.projector.sfu.rtp.Keyframes;
import io.projector.sfu.rtp.RtpHeader;
import io.projector.sfu.srtp.JitsiSrtpAllocation;
import io.projector.sfu.srtp.ThreadAllocation;
import org.jitsi.srtp.crypto.JitsiOpenSslProvider;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Steady-state heap allocation per forwarded packet, from the JVM's per-thread counter
 * ({@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes}), after a warm-up long enough for the
 * JIT to compile the path.
 *
 * <p>jitsi-srtp allocates inside every protect and unprotect call, and its API offers no way around that (see
 * {@link io.projector.sfu.srtp.SrtpAllocationTest} for the classes and methods). So each test counts the SRTP
 * calls the run made, subtracts what {@link JitsiSrtpAllocation} measured per call on this JVM, and asserts that
 * what is left, our own code's allocation, stays under {@value #MAX_OWN_BYTES_PER_PACKET} byte per packet on
 * average, i.e. nothing per packet. Each test also checks that the packets were really forwarded, so a path that
 * silently dropped them could not pass by allocating nothing.
 */
class ForwardingAllocationTest {
  private static final int WARM_UP_PACKETS = 30_000;
  private static final int MEASURED_PACKETS = 50_000;
  private static final int FAN_OUT_VIEWERS = 4;
  private static final double MAX_OWN_BYTES_PER_PACKET = 1.0;
  private static final String JITSI_COST_VARIES_WITHOUT_OPENSSL = "without jitsi-srtp's OpenSSL ciphers, SunJCE "
      + "copies each payload it encrypts in place: jitsi-srtp's cost then depends on the packet's size";

  /** The per-viewer step: VP8 admission, then copy + rewrite + transport-wide number + SRTP protect. */
  @ParameterizedTest
  @EnumSource(SrtpProfile.class)
  void perViewerStepAllocatesNothingOfItsOwn(SrtpProfile profile) {
    assumeTrue(ThreadAllocation.countsEveryAllocation(), ThreadAllocation.ONLY_WITHOUT_ESCAPE_ANALYSIS);
    assumeTrue(JitsiOpenSslProvider.isLoaded(), JITSI_COST_VARIES_WITHOUT_OPENSSL);
    JitsiSrtpAllocation srtp = JitsiSrtpAllocation.measure(profile);
    ForwardingScenario scenario = new ForwardingScenario(profile, (b, o, l) -> true, List.of((b, o, l) -> true));
    Peer viewer = scenario.viewer(0);
    byte[] source = new byte[InboundPacket.CAPACITY];
    byte[] sendBuffer = new byte[InboundPacket.CAPACITY];
    for (int i = 0; i < WARM_UP_PACKETS; i++) {
      writeForViewer(viewer, scenario.browser, source, sendBuffer);
    }

    long start = ThreadAllocation.bytes();
    for (int i = 0; i < MEASURED_PACKETS; i++) {
      writeForViewer(viewer, scenario.browser, source, sendBuffer);
    }
    long allocated = ThreadAllocation.bytes() - start;

    double ownPerPacket = (allocated - MEASURED_PACKETS * srtp.protectRtpBytes()) / MEASURED_PACKETS;
    assertTrue(ownPerPacket < MAX_OWN_BYTES_PER_PACKET, String.format(
        "per-viewer step allocated %.1f B/packet of its own (%d B in all; jitsi-srtp %s)", ownPerPacket,
        allocated, srtp));
  }

  /** What the Forwarder runs per step for one viewer (see Forwarder#forwardVideoTo), minus the send. */
  private static void writeForViewer(Peer viewer, ChromeVideoSource browser, byte[] source, byte[] sendBuffer) {
    browser.writePlain(source);
    int len = ChromeVideoSource.PACKET_BYTES;
    int payload = RtpHeader.headerLength(source, 0, len);
    boolean keyframeStart = Keyframes.isVp8KeyframeStart(source, payload, len - payload);
    if (viewer.vp8.admit(source, 0, len, ChromeVideoSource.SSRC, LayerSelector.ALL_TEMPORAL) < 0
        || viewer.writer.write(viewer.videoOut, viewer.vp8, source, len, keyframeStart, sendBuffer) <= 0) {
      throw new AssertionError("packet not forwarded to the viewer");
    }
  }

  /**
   * The worker's whole path for presenter packets: decrypt, statistics, packet cache, loss tracking, congestion
   * feedback to the presenter, the fan-out to every viewer with their sends, and the worker's periodic tick.
   */
  @ParameterizedTest
  @EnumSource(SrtpProfile.class)
  void forwarderFanOutAllocatesNothingOfItsOwn(SrtpProfile profile) {
    assumeTrue(ThreadAllocation.countsEveryAllocation(), ThreadAllocation.ONLY_WITHOUT_ESCAPE_ANALYSIS);
    assumeTrue(JitsiOpenSslProvider.isLoaded(), JITSI_COST_VARIES_WITHOUT_OPENSSL);
    JitsiSrtpAllocation srtp = JitsiSrtpAllocation.measure(profile);
    List<DatagramSender> viewers = new ArrayList<>();
    for (int i = 0; i < FAN_OUT_VIEWERS; i++) {
      viewers.add((b, o, l) -> true);
    }
    ForwardingScenario scenario = new ForwardingScenario(profile, (b, o, l) -> true, viewers);
    for (int i = 0; i < WARM_UP_PACKETS; i++) {
      scenario.forwardNextPacket();
    }
    long rtpOutBefore = scenario.counters.rtpPacketsOut.sum();
    long rtcpOutBefore = scenario.counters.rtcpPacketsOut.sum();

    long start = ThreadAllocation.bytes();
    for (int i = 0; i < MEASURED_PACKETS; i++) {
      scenario.forwardNextPacket();
    }
    long allocated = ThreadAllocation.bytes() - start;

    long rtpOut = scenario.counters.rtpPacketsOut.sum() - rtpOutBefore;
    long rtcpOut = scenario.counters.rtcpPacketsOut.sum() - rtcpOutBefore;
    assertEquals((long) FAN_OUT_VIEWERS * MEASURED_PACKETS, rtpOut, "every packet reached every viewer");
    assertTrue(rtcpOut > 0, "congestion feedback went back to the presenter");
    double srtpBytes = MEASURED_PACKETS * (srtp.protectRtpBytes() + srtp.unprotectRtpBytes()) // browser + SFU
        + rtpOut * srtp.protectRtpBytes() + rtcpOut * srtp.protectRtcpBytes();
    double ownPerPacket = (allocated - srtpBytes) / MEASURED_PACKETS;
    assertTrue(ownPerPacket < MAX_OWN_BYTES_PER_PACKET, String.format(
        "forwarding to %d viewers allocated %.1f B per presenter packet of its own (%d B in all, %d RTP and %d "
            + "RTCP sent; jitsi-srtp %s)", FAN_OUT_VIEWERS, ownPerPacket, allocated, rtpOut, rtcpOut, srtp));
  }
}
