package io.projector.sfu.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.projector.sfu.dtls.SrtpProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A viewer about to join gets a keyframe made ready in advance, and joins close together share one: the
 * presenter is asked only when no recent keyframe is cached and none is on its way. Fake clock.
 */
class JoinKeyframeTest {
  private final ForwardingScenario scenario =
      new ForwardingScenario(SrtpProfile.AEAD_AES_128_GCM, (b, o, l) -> true, List.of((b, o, l) -> true));

  private long requestsSent() {
    return scenario.counters.keyframeRequestsSent.sum();
  }

  @Test
  void aRecentKeyframeIsReplayedRatherThanAskedFor() {
    scenario.forwardNextPacket(); // a keyframe starts
    scenario.idle(Forwarder.JOIN_KEYFRAME_FRESH_MS - 10);
    scenario.forwarder.prepareJoin(null, scenario.nowMs());
    assertEquals(0, requestsSent(), "the cached keyframe is young enough to be replayed when the viewer connects");
  }

  @Test
  void anOldKeyframeMakesTheFirstJoinAskAndTheNextOnesWaitForThatAnswer() {
    scenario.forwardNextPacket();
    scenario.idle(Forwarder.JOIN_KEYFRAME_FRESH_MS + 1);
    scenario.forwarder.prepareJoin(null, scenario.nowMs());
    assertEquals(1, requestsSent(), "the page's lookup asks for a keyframe");
    scenario.idle(50);
    scenario.forwarder.prepareJoin(scenario.viewer(0), scenario.nowMs()); // its offer arrives
    scenario.idle(300);
    scenario.forwarder.prepareJoin(null, scenario.nowMs()); // another viewer's page
    assertEquals(1, requestsSent(), "the keyframe asked for is awaited, not asked for again");
    scenario.idle(Forwarder.KEYFRAME_ANSWER_WAIT_MS);
    scenario.forwarder.prepareJoin(null, scenario.nowMs());
    assertEquals(2, requestsSent(), "no keyframe came in time: ask again");
  }
}
