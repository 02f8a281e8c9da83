package io.projector.loadtest.signal;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Janus' VideoRoom plugin over the Janus HTTP API, for the side-by-side fan-out benchmark. The presenter has
 * its own Janus session (its events never queue behind viewer events); it creates the room and publishes
 * with "joinandconfigure". All viewers share a second session, one plugin handle each: "join" as subscriber
 * to the presenter's feed, Janus offers, the viewer answers with "start"; leaving detaches the handle.
 *
 * <p>Janus only accepts subscribers once the presenter's PeerConnection is up ("webrtcup"; before that it
 * answers 428 "No such feed"), so {@link #subscribe} waits for that first. SDP goes with "trickle": false:
 * the load generator's peers put their only candidate in the SDP. See bench/fanout/janus/README.md.
 */
public final class JanusVideoRoom implements Signaling {
  static final String PLUGIN = "janus.plugin.videoroom";
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final JanusSession presenterSession;
  private final JanusSession viewerSession;
  private final long presenterHandle;
  private final long room;
  private final Duration timeout;
  private final CompletableFuture<Void> presenterUp = new CompletableFuture<>();
  private final Map<Long, String> viewerHangups = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile long feed;

  private JanusVideoRoom(JanusSession presenterSession, JanusSession viewerSession, Duration timeout)
      throws IOException, InterruptedException {
    this.presenterSession = presenterSession;
    this.viewerSession = viewerSession;
    this.timeout = timeout;
    this.presenterHandle = presenterSession.attach(PLUGIN, this::onPresenterEvent);
    Long created = pluginData(presenterSession.message(presenterHandle, roomSettings(), null)).getLong("room");
    if (created == null) {
      throw new IOException("Janus created a room without telling its number");
    }
    this.room = created;
  }

  /** Opens the sessions and creates a new room on the Janus at {@code baseUrl} (e.g. "http://127.0.0.1:8088/janus"). */
  public static JanusVideoRoom createRoom(String baseUrl) throws IOException, InterruptedException {
    return createRoom(baseUrl, TIMEOUT);
  }

  static JanusVideoRoom createRoom(String baseUrl, Duration timeout) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    URI base = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
    JanusSession presenter = JanusSession.create(http, base, timeout);
    JanusSession viewers = null;
    try {
      viewers = JanusSession.create(http, base, timeout);
      return new JanusVideoRoom(presenter, viewers, timeout);
    } catch (IOException | InterruptedException | RuntimeException e) {
      presenter.close();
      if (viewers != null) {
        viewers.close();
      }
      throw e;
    }
  }

  /**
   * The room: one publisher, VP8 and Opus, no bitrate cap (so no REMB clamping of the presenter), no periodic
   * keyframe requests, no recording, and none of the optional header extensions (audio level, video
   * orientation, playout delay, transport-wide CC) that Projector's forwarding does not pay for either.
   * NACK handling and RTX towards viewers stay on: Janus' core does both for every video stream.
   */
  static JsonObject roomSettings() {
    return new JsonObject().put("request", "create").put("description", "projector fan-out benchmark")
        .put("publishers", 1).put("bitrate", 0).put("fir_freq", 0).put("videocodec", "vp8").put("audiocodec", "opus")
        .put("notify_joining", false).put("record", false).put("audiolevel_ext", false).put("videoorient_ext", false)
        .put("playoutdelay_ext", false).put("transport_wide_cc_ext", false);
  }

  public long room() {
    return room;
  }

  @Override
  public String publish(String offerSdp) throws IOException, InterruptedException {
    JsonObject body = new JsonObject().put("request", "joinandconfigure").put("ptype", "publisher")
        .put("room", room).put("display", "presenter");
    JsonObject joined = presenterSession.message(presenterHandle, body, jsep("offer", offerSdp));
    feed = pluginData(joined).getLong("id");
    return jsepSdp(joined, "answer", "joinandconfigure");
  }

  @Override
  public Negotiated subscribe(ViewerSdp viewer) throws IOException, InterruptedException {
    awaitPresenterUp();
    long handle = viewerSession.attach(PLUGIN, event -> onViewerEvent(handleOf(event), event));
    try {
      JsonObject join = new JsonObject().put("request", "join").put("ptype", "subscriber").put("room", room)
          .put("streams", new JsonArray().add(new JsonObject().put("feed", feed)));
      String offer = jsepSdp(viewerSession.message(handle, join, null), "offer", "join");
      viewerSession.message(handle, new JsonObject().put("request", "start"), jsep("answer", viewer.answer(offer)));
      return new Negotiated(offer, true, Long.toString(handle));
    } catch (IOException | InterruptedException | RuntimeException e) {
      detachQuietly(handle);
      throw e;
    }
  }

  /** Why Janus hung up this viewer's PeerConnection (e.g. "ICE failed", "DTLS alert"), or null if it did not. */
  public String hangupReason(Negotiated viewer) {
    return viewerHangups.get(Long.parseLong(viewer.handle()));
  }

  @Override
  public void unsubscribe(Negotiated viewer) {
    long handle = Long.parseLong(viewer.handle());
    detachQuietly(handle);
    viewerHangups.remove(handle);
  }

  /** Destroys the room and both sessions; Janus hangs up every PeerConnection of the run. Only once. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      presenterSession.message(presenterHandle, new JsonObject().put("request", "destroy").put("room", room), null);
    } catch (IOException e) {
      // best effort: destroying the sessions below releases the handles anyway
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    viewerSession.close();
    presenterSession.close();
  }

  private void awaitPresenterUp() throws IOException, InterruptedException {
    if (feed == 0) {
      throw new IOException("publish first: Janus VideoRoom viewers subscribe to the presenter's feed");
    }
    try {
      presenterUp.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IOException("the presenter's PeerConnection to Janus is not up after " + timeout.toSeconds()
          + " s (no webrtcup); Janus refuses subscribers until it is");
    } catch (ExecutionException e) {
      throw new IOException(e.getCause().getMessage(), e.getCause());
    }
  }

  private void onPresenterEvent(JsonObject event) {
    switch (event.getString("janus", "")) {
      case "webrtcup" -> presenterUp.complete(null);
      case "hangup" -> presenterUp.completeExceptionally(
          new IOException("Janus hung up the presenter: " + event.getString("reason", "(no reason)")));
      default -> {
        // media, slowlink and VideoRoom notifications: nothing the signalling needs
      }
    }
  }

  private void onViewerEvent(long handle, JsonObject event) {
    if ("hangup".equals(event.getString("janus"))) {
      viewerHangups.put(handle, event.getString("reason", "(no reason)"));
    }
  }

  private static long handleOf(JsonObject event) {
    return event.getLong("sender");
  }

  private void detachQuietly(long handle) {
    try {
      viewerSession.detach(handle);
    } catch (IOException e) {
      // best effort: the session's destruction detaches it at the latest
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static JsonObject jsep(String type, String sdp) {
    return new JsonObject().put("type", type).put("sdp", sdp).put("trickle", false);
  }

  private static String jsepSdp(JsonObject event, String type, String request) throws IOException {
    JsonObject jsep = event.getJsonObject("jsep");
    if (jsep == null || !type.equals(jsep.getString("type")) || jsep.getString("sdp") == null) {
      throw new IOException("Janus answered " + request + " without an SDP " + type);
    }
    return jsep.getString("sdp");
  }

  private static JsonObject pluginData(JsonObject reply) throws IOException {
    JsonObject plugindata = reply.getJsonObject("plugindata");
    JsonObject data = plugindata == null ? null : plugindata.getJsonObject("data");
    if (data == null) {
      throw new IOException("Janus reply without plugindata.data: " + reply.getString("janus"));
    }
    return data;
  }
}
