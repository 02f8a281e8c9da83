package io.projector.sfu.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KeyframeRequesterTest {
  @Test
  void hundredsOfJoiningViewersCauseOneRequestPerInterval() {
    KeyframeRequester k = new KeyframeRequester(250);
    int sent = 0;
    for (long now = 1000; now < 2000; now += 2) { // 500 requests in one second
      if (k.request(now)) {
        sent++;
      }
      if (k.poll(now)) {
        sent++;
      }
    }
    assertTrue(sent <= 4 && sent >= 3, "sent " + sent);
  }

  @Test
  void aRequestInsideTheIntervalIsDeferredNotLost() {
    KeyframeRequester k = new KeyframeRequester(250);
    assertTrue(k.request(0));
    assertFalse(k.request(100));
    assertFalse(k.poll(200));
    assertTrue(k.poll(250));
    assertFalse(k.poll(600), "served once");
  }

  @Test
  void aKeyframeArrivingServesTheDeferredRequest() {
    KeyframeRequester k = new KeyframeRequester(250);
    assertTrue(k.request(0));
    assertFalse(k.request(50));
    k.onKeyframe(80);
    assertFalse(k.poll(300));
    assertEquals(0, k.requestsMerged());
  }

  @Test
  void aRequestIsAwaitedUntilAKeyframeStartsOrTheWindowEnds() {
    KeyframeRequester k = new KeyframeRequester(250);
    assertFalse(k.awaiting(0, 400), "nothing asked yet");
    assertTrue(k.request(1000));
    assertTrue(k.awaiting(1100, 400));
    assertFalse(k.awaiting(1400, 400), "no answer within the window: ask again");
    k.onKeyframe(1150);
    assertFalse(k.awaiting(1200, 400), "served");
    assertTrue(k.request(1300));
    assertFalse(k.request(1350), "deferred");
    assertTrue(k.awaiting(1350, 400));
    assertTrue(k.awaiting(1800, 400), "a deferred request is still to be sent");
  }
}
