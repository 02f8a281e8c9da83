package io.projector.loadtest.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.projector.sfu.sdp.SdpParser;
import io.projector.sfu.sdp.SessionDescription;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Against a real Janus started by bench/fanout/netns.sh; runs only when asked for, inside the namespace:
 * <pre>
 *   ip netns exec pj-fanout mvn -o -q test -pl loadtest -Dtest=JanusVideoRoomLiveTest \
 *       -Djanus.url=http://127.0.0.1:8088/janus
 * </pre>
 * Nothing here completes ICE, so the presenter never comes up: the test checks the signalling up to that point.
 */
@EnabledIfSystemProperty(named = "janus.url", matches = "http://.+")
@Timeout(60)
class JanusVideoRoomLiveTest {

  /** Chrome's presenter offer from the signaling tests with one host candidate on the load generator's veth end. */
  private static String presenterOffer() throws IOException {
    String chrome = Files.readString(Path.of("../signaling/src/test/resources/sdp/chrome-presenter-offer.sdp"));
    StringBuilder sdp = new StringBuilder();
    for (String line : chrome.split("\r?\n")) {
      if (line.startsWith("a=candidate:")) {
        if (!line.contains(" typ host ") || line.contains(".local ")) {
          continue;
        }
        line = "a=candidate:3885250869 1 udp 2122260223 10.77.0.2 50000 typ host generation 0";
      }
      sdp.append(line).append("\r\n");
    }
    return sdp.toString();
  }

  @Test
  void realJanusAnswersThePresenterAndRefusesViewersUntilItIsUp() throws Exception {
    try (JanusVideoRoom room = JanusVideoRoom.createRoom(System.getProperty("janus.url"), Duration.ofSeconds(3))) {
      SessionDescription answer = SdpParser.parse(room.publish(presenterOffer()));
      assertEquals("active", answer.effectiveSetup());
      assertEquals("10.77.0.1", answer.media().get(0).candidates().get(0).address());
      assertEquals("VP8", answer.media().get(0).codecs().get(0).name());

      IOException e = assertThrows(IOException.class, () -> room.subscribe(new ViewerSdp() {
        @Override
        public String offer() {
          throw new AssertionError("Janus viewers never offer");
        }

        @Override
        public String answer(String remoteOffer) {
          throw new AssertionError("no offer without a connected presenter");
        }
      }));
      assertTrue(e.getMessage().contains("Janus hung up the presenter") || e.getMessage().contains("no webrtcup"),
          e.getMessage());
    }
  }
}
