package io.projector.sfu.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.projector.sfu.MediaCounters;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class MediaPortWarmUpTest {
  @Test
  void theStartUpCheckIsAnsweredAndLeavesNothingBehind() throws Exception {
    MediaCounters counters = new MediaCounters();
    try (MediaPort port = MediaPort.open(List.of(InetAddress.getByName("127.0.0.1")), 0, counters)) {
      assertTrue(port.warmUpChecks(), "an authentic check through the real path is answered");
      assertTrue(port.warmUpChecks(), "and again: the throw-away peer was unregistered");
      assertEquals(0, counters.iceChecksRejected.sum());
    }
  }

  /** The warm-up's request is a real authenticated check: the same request keyed otherwise is refused. */
  @Test
  void aCheckKeyedWithTheWrongPasswordIsNot() throws Exception {
    try (MediaPort port = MediaPort.open(List.of(InetAddress.getByName("127.0.0.1")), 0, new MediaCounters())) {
      IceTransport t = new IceTransport(port, (buf, off, len, nowMs) -> {});
      t.start("remote");
      byte[] forged = StunResponder.bindingRequest(t.localUfrag() + ":remote", "not-the-password-at-all");
      byte[] real = StunResponder.bindingRequest(t.localUfrag() + ":remote", t.localPassword());
      StunResponder responder = new StunResponder(u -> u.equals(t.localUfrag()) ? t : null);
      InetSocketAddress from = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
      assertNull(responder.handle(forged, forged.length, from));
      assertNotNull(responder.handle(real, real.length, from));
      t.close();
    }
  }
}
