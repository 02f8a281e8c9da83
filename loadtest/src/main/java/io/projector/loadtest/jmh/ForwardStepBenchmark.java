package io.projector.loadtest.jmh;

import io.projector.sfu.dtls.SrtpProfile;
import io.projector.sfu.forward.LayerSelector;
import java.util.concurrent.TimeUnit;
import org.jitsi.srtp.crypto.Aes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-viewer forward step on a 1200-byte VP8 packet from Chrome: {@link #forwardToOneViewer} is what the
 * Forwarder runs for each viewer of each presenter packet, minus the socket send. Each operation first turns the
 * source into the stream's next packet (a few header writes), so every viewer copy is a new packet to SRTP.
 *
 * <p>Two parts of that step on their own, to show where the time goes: {@link #rewriteOnly} (VP8 admission,
 * copy and rewrite, no SRTP) and {@link #srtpProtectOnly} (protecting a viewer-sized packet, 1208 bytes).
 *
 * <p>{@code -p aes=SunJCE} runs the same code with jitsi-srtp on the JDK's AES instead of the OpenSSL one
 * production configures (SrtpPolicies): jitsi-srtp, left alone, picks one of the two at start-up.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ForwardStepBenchmark {
  /** A 1200-byte source becomes 1208 bytes for the viewer: playout-delay (4) and transport-cc (4) added. */
  private static final int VIEWER_PACKET_BYTES = ChromeVp8Packet.LENGTH + 8;

  @Param({"AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"})
  public SrtpProfile profile;

  /** "production", or a jitsi-srtp AES factory name (e.g. SunJCE) to use instead. */
  @Param({"production"})
  public String aes;

  private ChromeVp8Packet packet;
  private BenchmarkViewer viewer;
  private final byte[] sendBuffer = new byte[1600];
  private int srtpSeq;

  @Setup
  public void startStream() {
    packet = new ChromeVp8Packet();
    viewer = new BenchmarkViewer(profile, 1);
    if (!"production".equals(aes)) {
      // The encoder exists (so production's choice has been made) but has no cipher yet: this one wins.
      Aes.setFactoryClassName(aes);
    }
    if (viewer.forward(packet, sendBuffer) <= 0) {
      throw new IllegalStateException("the viewer's stream did not start at the keyframe");
    }
  }

  @Benchmark
  public int forwardToOneViewer() {
    packet.next();
    return viewer.forward(packet, sendBuffer);
  }

  @Benchmark
  public int rewriteOnly() {
    packet.next();
    int admitted = viewer.vp8.admit(packet.buf, 0, ChromeVp8Packet.LENGTH, ChromeVp8Packet.SSRC,
        LayerSelector.ALL_TEMPORAL);
    if (admitted < 0) {
      return admitted;
    }
    int len = viewer.video.copyOut(packet.buf, ChromeVp8Packet.LENGTH, sendBuffer, false);
    viewer.vp8.rewriteIds(sendBuffer, 0, len);
    return len;
  }

  @Benchmark
  public int srtpProtectOnly() {
    srtpSeq = (srtpSeq + 1) & 0xffff;
    sendBuffer[2] = (byte) (srtpSeq >> 8);
    sendBuffer[3] = (byte) srtpSeq;
    return viewer.encoder.protectRtp(sendBuffer, 0, VIEWER_PACKET_BYTES);
  }
}
