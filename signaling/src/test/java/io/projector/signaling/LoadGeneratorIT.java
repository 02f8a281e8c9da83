package io.projector.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.projector.loadtest.LoadConfig;
import io.projector.loadtest.LoadGenerator;
import io.projector.loadtest.media.Vp8Clip;
import io.projector.loadtest.signal.WhipWhep;
import io.projector.loadtest.viewer.ViewerSnapshot;
import io.projector.signaling.testpeer.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.BitSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The load generator against a real server on loopback, small: 20 viewers of a 2.5 Mbit/s presenter. Every
 * viewer decrypts everything, and must have received every packet the presenter sent from its first packet
 * on; the server's /metrics must count the fan-out.
 */
class LoadGeneratorIT {
  private static final int VIEWERS = 20;
  private TestServer server;

  @BeforeEach
  void start() {
    server = TestServer.start(ServerConfig.ephemeral());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void everyViewerReceivesEveryPacketAndTheMetricsCountThem() throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    LoadConfig config = LoadConfig.parse(new String[] {"--server", server.baseUrl(), "--viewers",
        String.valueOf(VIEWERS), "--joins-per-second", "40"});
    WhipWhep signaling = WhipWhep.createSession(server.baseUrl());
    long sent;
    try (LoadGenerator g = new LoadGenerator(config, signaling, Vp8Clip.load("/vectors/screen-720p30.ivf"),
        new PrintStream(log, true, StandardCharsets.UTF_8), true)) {
      g.startPresenter();
      assertEquals(0, g.addViewers(VIEWERS), () -> "every viewer joins: " + log);
      TestServer.await("20 viewers connected", Duration.ofSeconds(10), () -> server.viewers(signaling.sessionId()) == VIEWERS);
      long target = g.presenter().nextPacketIndex() + 600; // ~3 s of video at 2.5 Mbit/s
      TestServer.await("the presenter sent 600 packets", Duration.ofSeconds(20), () -> g.presenter().nextPacketIndex() >= target);
      long last = g.presenter().nextPacketIndex() - 1;
      // each viewer has everything up to the last packet sent, retransmissions included
      try {
        TestServer.await("every viewer received every packet from its first to the last one sent",
            Duration.ofSeconds(5), () -> g.viewers().stream().allMatch(j -> complete(j.viewer().presenterPackets(), last)));
      } catch (AssertionError e) {
        StringBuilder why = new StringBuilder(e.getMessage());
        for (LoadGenerator.Joined j : g.viewers()) {
          BitSet b = j.viewer().presenterPackets();
          int first = b.nextSetBit(0);
          why.append("\nviewer ").append(j.viewer().snapshot()).append(" first ").append(first).append(" missing ")
              .append(first < 0 ? -1 : (last - first + 1) - b.get(first, (int) last + 1).cardinality());
        }
        throw new AssertionError(why.toString(), e);
      }
      for (LoadGenerator.Joined j : g.viewers()) {
        ViewerSnapshot s = j.viewer().snapshot();
        assertEquals(0, s.lost(), "viewer " + s.index() + " lost packets");
        assertEquals(0, s.decryptFailures(), "viewer " + s.index() + " could not decrypt");
        assertTrue(s.joinMs() > 0 && s.joinMs() < 5_000, "viewer " + s.index() + " joined in " + s.joinMs() + " ms");
        int got = j.viewer().presenterPackets().cardinality();
        assertTrue(got >= 600, "viewer " + s.index() + " got " + got);
      }
      assertTrue(g.delays().count() >= VIEWERS * 600L, "every decrypted packet measured a delay");
      sent = g.presenter().packetsSent();
    }
    String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics"))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
    double in = counter(metrics, "projector_rtp_packets_total{direction=\"in\"}");
    double out = counter(metrics, "projector_rtp_packets_total{direction=\"out\"}");
    assertTrue(in >= sent * 0.99, "metrics count the presenter's packets in: " + in + " of " + sent);
    assertTrue(out >= VIEWERS * 600, "metrics count the fan-out: " + out + " packets out");
  }

  /** Every index from the viewer's first packet to {@code last} is present. */
  private static boolean complete(BitSet packets, long last) {
    int first = packets.nextSetBit(0);
    return first >= 0 && packets.nextClearBit(first) > last;
  }

  private static double counter(String metrics, String name) {
    return metrics.lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(l.split(" ")[1]))
        .findFirst().orElseThrow(() -> new AssertionError("no metric " + name));
  }
}
