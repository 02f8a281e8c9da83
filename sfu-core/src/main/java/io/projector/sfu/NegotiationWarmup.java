package io.projector.sfu;

import io.projector.sfu.sdp.AnswerBuilder;
import io.projector.sfu.sdp.Candidate;
import io.projector.sfu.sdp.LocalParameters;
import io.projector.sfu.sdp.MediaKind;
import io.projector.sfu.sdp.PeerRole;
import io.projector.sfu.sdp.SdpException;
import io.projector.sfu.sdp.SdpParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses and answers two offers as Chrome sends them (a viewer's, a simulcast presenter's; kept under
 * {@code warmup/}) a hundred times at start-up, in the background: until the JIT has compiled the SDP code, a
 * negotiation took 25–120 ms of a joining viewer's time instead of a few (measured with the WHEP log line).
 */
final class NegotiationWarmup {
  private static final Logger LOG = LoggerFactory.getLogger(NegotiationWarmup.class);
  static final int ROUNDS = 100;

  private NegotiationWarmup() {}

  /** @return how many offers were answered (0 when the bundled offers are missing or unusable) */
  static int run(String fingerprintSdpValue) {
    String viewer = resource("warmup/chrome-viewer-offer.sdp");
    String presenter = resource("warmup/chrome-presenter-offer.sdp");
    if (viewer == null || presenter == null) {
      return 0;
    }
    LocalParameters local = new LocalParameters("warmUfrag", "warmupPassword0123456789", fingerprintSdpValue,
        List.of(new Candidate("1", 1, "udp", 2130706431L, "127.0.0.1", 9, "host", null)), "1", "warmup", "warmup");
    int answered = 0;
    try {
      for (int i = 0; i < ROUNDS; i++) {
        AnswerBuilder.answer(SdpParser.parse(viewer), PeerRole.VIEWER, local, kind -> kind == MediaKind.VIDEO ? 1 : 2)
            .sdp();
        AnswerBuilder.answer(SdpParser.parse(presenter), PeerRole.PRESENTER, local, kind -> 0).sdp();
        answered += 2;
      }
    } catch (SdpException | RuntimeException e) {
      LOG.warn("negotiation warm-up stopped: {}", e.toString());
    }
    return answered;
  }

  private static String resource(String name) {
    try (InputStream in = NegotiationWarmup.class.getClassLoader().getResourceAsStream(name)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    }
  }
}
