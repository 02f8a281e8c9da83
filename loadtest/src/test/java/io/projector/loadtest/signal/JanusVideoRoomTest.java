package io.projector.loadtest.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class JanusVideoRoomTest {
  private static final String PRESENTER_OFFER = "v=0\r\ns=presenter offer\r\n";

  private FakeJanus janus;
  private FakeVideoRoom videoRoom;

  /** Answers every offer with a text naming it, so that tests can tell which answer went with which offer. */
  private static final ViewerSdp ECHO_VIEWER = new ViewerSdp() {
    @Override
    public String offer() {
      throw new AssertionError("Janus viewers never offer");
    }

    @Override
    public String answer(String remoteOffer) {
      return "answer to " + remoteOffer;
    }
  };

  @BeforeEach
  void startFakeJanus() throws IOException {
    janus = new FakeJanus();
    videoRoom = new FakeVideoRoom(janus);
    janus.plugin(videoRoom);
  }

  @AfterEach
  void stopFakeJanus() {
    janus.close();
  }

  private JanusVideoRoom room(Duration timeout) throws Exception {
    return JanusVideoRoom.createRoom(janus.url(), timeout);
  }

  @Test
  void createsTheBenchmarkRoomAndPublishesTheOfferWithoutTrickle() throws Exception {
    try (JanusVideoRoom room = room(Duration.ofSeconds(10))) {
      assertEquals(FakeVideoRoom.ROOM, room.room());
      JsonObject create = janus.messages("create").get(0).getJsonObject("body");
      assertEquals(1, create.getInteger("publishers"));
      assertEquals(0, create.getInteger("bitrate"));
      assertEquals("vp8", create.getString("videocodec"));
      assertEquals("opus", create.getString("audiocodec"));
      assertFalse(create.getBoolean("record"));
      assertFalse(create.getBoolean("notify_joining"));

      assertEquals(FakeVideoRoom.ANSWER, room.publish(PRESENTER_OFFER));
      JsonObject join = janus.messages("joinandconfigure").get(0);
      assertEquals("publisher", join.getJsonObject("body").getString("ptype"));
      assertEquals(FakeVideoRoom.ROOM, join.getJsonObject("body").getLong("room"));
      assertEquals(new JsonObject().put("type", "offer").put("sdp", PRESENTER_OFFER).put("trickle", false),
          join.getJsonObject("jsep"));
    }
  }

  @Test
  void theCaptureKitCreatesTheSameRoomAsTheLoadGenerator() throws IOException {
    // bench/fanout/janus/capture/probe.html and capture-sdp.sh read the room settings from there
    JsonObject kit = new JsonObject(Files.readString(Path.of("../bench/fanout/janus/capture/room.json")));
    assertEquals(JanusVideoRoom.roomSettings(), kit);
  }

  @Test
  void viewerAnswersJanusOfferAndStartCarriesThatAnswer() throws Exception {
    try (JanusVideoRoom room = room(Duration.ofSeconds(10))) {
      room.publish(PRESENTER_OFFER);
      Negotiated viewer = room.subscribe(ECHO_VIEWER);

      long handle = Long.parseLong(viewer.handle());
      assertTrue(viewer.remoteIsOffer());
      assertEquals(FakeVideoRoom.offerFor(handle), viewer.remoteSdp());
      JsonObject join = janus.messages("join").get(0).getJsonObject("body");
      assertEquals("subscriber", join.getString("ptype"));
      assertEquals(FakeVideoRoom.FEED, join.getJsonArray("streams").getJsonObject(0).getLong("feed"));
      JsonObject start = janus.messages("start").get(0);
      assertEquals("answer to " + FakeVideoRoom.offerFor(handle), start.getJsonObject("jsep").getString("sdp"));
      assertEquals("answer", start.getJsonObject("jsep").getString("type"));
      assertFalse(start.getJsonObject("jsep").getBoolean("trickle"));
    }
  }

  @Test
  void concurrentViewersEachGetTheirOwnOfferWhenJanusAnswersInReverseOrder() throws Exception {
    int viewers = 12;
    videoRoom.joinsPerRelease = viewers; // nobody gets an offer until all have asked; then last asked, first served
    ExecutorService pool = Executors.newFixedThreadPool(viewers);
    try (JanusVideoRoom room = room(Duration.ofSeconds(10))) {
      room.publish(PRESENTER_OFFER);
      List<Future<Negotiated>> joins = new ArrayList<>();
      for (int i = 0; i < viewers; i++) {
        joins.add(pool.submit(() -> room.subscribe(ECHO_VIEWER)));
      }
      Set<String> handles = new HashSet<>();
      for (Future<Negotiated> join : joins) {
        Negotiated n = join.get();
        assertEquals(FakeVideoRoom.offerFor(Long.parseLong(n.handle())), n.remoteSdp());
        handles.add(n.handle());
      }
      assertEquals(viewers, handles.size());
      Set<String> answers = janus.messages("start").stream()
          .map(s -> s.getJsonObject("jsep").getString("sdp")).collect(Collectors.toSet());
      assertEquals(handles.stream().map(h -> "answer to " + FakeVideoRoom.offerFor(Long.parseLong(h)))
          .collect(Collectors.toSet()), answers);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anEventThatArrivesBeforeTheAckStillAnswersTheRequest() throws Exception {
    videoRoom.eventBeforeAck = true;
    try (JanusVideoRoom room = room(Duration.ofSeconds(10))) {
      room.publish(PRESENTER_OFFER);
      Negotiated viewer = room.subscribe(ECHO_VIEWER);
      assertEquals(FakeVideoRoom.offerFor(Long.parseLong(viewer.handle())), viewer.remoteSdp());
    }
  }

  @Test
  void pluginErrorNamesCodeAndReasonAndTheHandleIsDetached() throws Exception {
    videoRoom.joinError = new JsonObject().put("videoroom", "event").put("error_code", 428)
        .put("error", "No such feed (4242)");
    try (JanusVideoRoom room = room(Duration.ofSeconds(10))) {
      room.publish(PRESENTER_OFFER);
      JanusApiException e = assertThrows(JanusApiException.class, () -> room.subscribe(ECHO_VIEWER));
      assertEquals(428, e.code());
      assertEquals("Janus refused join: error 428 No such feed (4242)", e.getMessage());
      assertEquals(1, janus.posts("detach").size());
    }
  }

  @Test
  void coreErrorOnStartIsReportedWithItsCode() throws Exception {
    videoRoom.startCoreError = FakeJanus.error(465, "Error processing SDP");
    try (JanusVideoRoom room = room(Duration.ofSeconds(10))) {
      room.publish(PRESENTER_OFFER);
      JanusApiException e = assertThrows(JanusApiException.class, () -> room.subscribe(ECHO_VIEWER));
      assertEquals(465, e.code());
      assertTrue(e.getMessage().contains("start") && e.getMessage().contains("Error processing SDP"), e.getMessage());
    }
  }

  @Test
  void subscribeReportsWhyJanusHungUpThePresenter() throws Exception {
    videoRoom.presenterFate = FakeVideoRoom.PresenterFate.HANGUP;
    try (JanusVideoRoom room = room(Duration.ofSeconds(60))) { // fails on the hangup, not after the timeout
      room.publish(PRESENTER_OFFER);
      IOException e = assertThrows(IOException.class, () -> room.subscribe(ECHO_VIEWER));
      assertEquals("Janus hung up the presenter: ICE failed", e.getMessage());
      assertTrue(janus.messages("join").isEmpty());
    }
  }

  @Test
  void subscribeGivesUpWhenThePresenterNeverComesUp() throws Exception {
    videoRoom.presenterFate = FakeVideoRoom.PresenterFate.SILENT;
    try (JanusVideoRoom room = room(Duration.ofMillis(300))) {
      room.publish(PRESENTER_OFFER);
      IOException e = assertThrows(IOException.class, () -> room.subscribe(ECHO_VIEWER));
      assertTrue(e.getMessage().contains("no webrtcup"), e.getMessage());
    }
  }

  @Test
  void subscribeBeforePublishIsRefusedWithoutAskingJanus() throws Exception {
    try (JanusVideoRoom room = room(Duration.ofSeconds(10))) {
      IOException e = assertThrows(IOException.class, () -> room.subscribe(ECHO_VIEWER));
      assertTrue(e.getMessage().startsWith("publish first"), e.getMessage());
      assertEquals(1, janus.posts("attach").size(), "only the presenter's handle");
    }
  }

  @Test
  void viewerHangupIsReportedAndUnsubscribeDetaches() throws Exception {
    try (JanusVideoRoom room = room(Duration.ofSeconds(10))) {
      room.publish(PRESENTER_OFFER);
      Negotiated first = room.subscribe(ECHO_VIEWER);
      janus.handleEvent(viewerSession(), Long.parseLong(first.handle()), "hangup",
          new JsonObject().put("reason", "DTLS alert"));
      // Events of one session are dispatched in order: once the next viewer's offer arrived, so had the hangup.
      Negotiated second = room.subscribe(ECHO_VIEWER);
      assertEquals("DTLS alert", room.hangupReason(first));
      assertNull(room.hangupReason(second));

      room.unsubscribe(first);
      List<JsonObject> detaches = janus.posts("detach");
      assertEquals(1, detaches.size());
      assertNull(room.hangupReason(first));
    }
  }

  @Test
  void closeDestroysTheRoomAndBothSessionsOnce() throws Exception {
    JanusVideoRoom room = room(Duration.ofSeconds(10));
    room.publish(PRESENTER_OFFER);
    room.close();
    room.close(); // the load generator closes its signalling, and so may its caller
    assertEquals(1, janus.messages("destroy").size());
    assertEquals(FakeVideoRoom.ROOM, janus.messages("destroy").get(0).getJsonObject("body").getLong("room"));
    assertEquals(2, janus.posts("destroy").size());
  }

  @Test
  void aLostSessionFailsThePendingJoinAtOnce() throws Exception {
    videoRoom.answerJoins = false;
    try (JanusVideoRoom room = room(Duration.ofSeconds(60))) { // fails on the lost long poll, not the timeout
      room.publish(PRESENTER_OFFER);
      ExecutorService viewerThread = Executors.newSingleThreadExecutor();
      try {
        Future<Negotiated> join = viewerThread.submit(() -> room.subscribe(ECHO_VIEWER));
        videoRoom.unansweredJoin.await();
        janus.dropSession(viewerSession());
        ExecutionException e = assertThrows(ExecutionException.class, join::get);
        assertTrue(e.getCause().getMessage().startsWith("Janus long poll failed"), e.getCause().getMessage());
      } finally {
        viewerThread.shutdownNow();
      }
    }
  }

  /** The viewers' session is the second one created (the presenter's is the first). */
  private long viewerSession() {
    return janus.sessionIds().get(1);
  }
}
