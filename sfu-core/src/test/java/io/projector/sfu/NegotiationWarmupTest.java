package io.projector.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.projector.sfu.dtls.DtlsCertificate;
import org.junit.jupiter.api.Test;

/** The offers bundled for the start-up warm-up still parse and get answers (a broken one would warm nothing up). */
class NegotiationWarmupTest {
  @Test
  void everyBundledOfferIsAnsweredInEveryRound() {
    assertEquals(2 * NegotiationWarmup.ROUNDS,
        NegotiationWarmup.run(DtlsCertificate.generate().fingerprint().toSdpValue()));
  }
}
