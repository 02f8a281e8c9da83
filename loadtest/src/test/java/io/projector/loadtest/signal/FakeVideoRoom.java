package io.projector.loadtest.signal;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The VideoRoom requests the load generator makes, answered the way janus_videoroom.c answers them. */
final class FakeVideoRoom implements FakeJanus.Plugin {
  static final long ROOM = 1234;
  static final long FEED = 4242;
  static final String ANSWER = "v=0\r\ns=janus answer\r\n";

  enum PresenterFate { UP, HANGUP, SILENT }

  private final FakeJanus janus;
  private final List<FakeJanus.Message> heldJoins = new ArrayList<>();
  volatile PresenterFate presenterFate = PresenterFate.UP;
  /** Subscriber "attached" events wait until this many joins arrived, then go out in reverse order. */
  volatile int joinsPerRelease = 1;
  /** Whether a "join" is only acked after the long poll delivered its event (the race the client must survive). */
  volatile boolean eventBeforeAck;
  volatile JsonObject joinError;
  volatile JsonObject startCoreError;
  volatile boolean answerJoins = true;
  /** Opens when a join arrived that is left unanswered (answerJoins false). */
  final CountDownLatch unansweredJoin = new CountDownLatch(1);

  FakeVideoRoom(FakeJanus janus) {
    this.janus = janus;
  }

  static String offerFor(long handle) {
    return "v=0\r\ns=janus offer for handle " + handle + "\r\n";
  }

  @Override
  public void onMessage(FakeJanus.Message m) throws Exception {
    switch (m.body().getString("request")) {
      case "create" -> m.reply(new JsonObject().put("janus", "success").put("sender", m.handle)
          .put("plugindata", new JsonObject().put("plugin", JanusVideoRoom.PLUGIN)
              .put("data", new JsonObject().put("videoroom", "created").put("room", ROOM))));
      case "joinandconfigure" -> {
        m.event(new JsonObject().put("videoroom", "joined").put("room", ROOM).put("id", FEED),
            new JsonObject().put("type", "answer").put("sdp", ANSWER));
        switch (presenterFate) {
          case UP -> janus.handleEvent(m.session, m.handle, "webrtcup", new JsonObject());
          case HANGUP -> janus.handleEvent(m.session, m.handle, "hangup", new JsonObject().put("reason", "ICE failed"));
          case SILENT -> {
            // the presenter never connects
          }
        }
      }
      case "join" -> join(m);
      case "start" -> {
        if (startCoreError != null) {
          m.reply(startCoreError);
        } else {
          m.event(new JsonObject().put("videoroom", "event").put("room", ROOM).put("started", "ok"), null);
        }
      }
      case "destroy" -> m.reply(new JsonObject().put("janus", "success").put("plugindata",
          new JsonObject().put("data", new JsonObject().put("videoroom", "destroyed").put("room", ROOM))));
      default -> m.reply(FakeJanus.error(423, "unexpected request in this test"));
    }
  }

  private void join(FakeJanus.Message m) throws InterruptedException {
    if (joinError != null) {
      m.event(joinError, null);
      return;
    }
    if (!answerJoins) {
      unansweredJoin.countDown(); // acked, never answered
      return;
    }
    List<FakeJanus.Message> release = new ArrayList<>();
    synchronized (heldJoins) {
      heldJoins.add(m);
      if (heldJoins.size() == joinsPerRelease) {
        release.addAll(heldJoins);
        Collections.reverse(release);
        heldJoins.clear();
      }
    }
    List<CountDownLatch> delivered = new ArrayList<>();
    for (FakeJanus.Message held : release) {
      delivered.add(held.event(new JsonObject().put("videoroom", "attached").put("room", ROOM),
          new JsonObject().put("type", "offer").put("sdp", offerFor(held.handle))));
    }
    if (eventBeforeAck) {
      for (CountDownLatch d : delivered) {
        if (!d.await(5, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the long poll did not fetch the event");
        }
      }
    }
  }
}
