package io.projector.loadtest.jmh;

import io.projector.sfu.dtls.SrtpProfile;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One presenter packet forwarded to {@value #VIEWERS} viewers, each with its own stream state and SRTP keys,
 * all written in turn into the one send buffer, as the Forwarder does. Results are per viewer
 * ({@code @OperationsPerInvocation}): multiply by {@value #VIEWERS} for the cost of one incoming packet. Against
 * {@link ForwardStepBenchmark#forwardToOneViewer} this shows what {@value #VIEWERS} viewers' state (100 SRTP
 * contexts, cipher state included) costs in caches.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FanOutBenchmark {
  static final int VIEWERS = 100;

  @Param({"AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"})
  public SrtpProfile profile;

  private ChromeVp8Packet packet;
  private BenchmarkViewer[] viewers;
  private final byte[] sendBuffer = new byte[1600];

  @Setup
  public void startStreams() {
    packet = new ChromeVp8Packet();
    viewers = new BenchmarkViewer[VIEWERS];
    for (int i = 0; i < VIEWERS; i++) {
      viewers[i] = new BenchmarkViewer(profile, i + 1);
      if (viewers[i].forward(packet, sendBuffer) <= 0) {
        throw new IllegalStateException("viewer " + i + " did not start at the keyframe");
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(VIEWERS)
  public int forwardToEveryViewer() {
    packet.next();
    int bytes = 0;
    for (BenchmarkViewer viewer : viewers) {
      bytes += viewer.forward(packet, sendBuffer);
    }
    return bytes;
  }
}
