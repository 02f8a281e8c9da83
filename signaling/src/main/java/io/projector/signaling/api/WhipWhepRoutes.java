package io.projector.signaling.api;

import io.projector.sfu.sdp.IceFragment;
import io.projector.sfu.sdp.SdpException;
import io.projector.sfu.sdp.SdpFragParser;
import io.projector.sfu.session.MediaSession;
import io.projector.sfu.session.PeerAnswer;
import io.projector.sfu.session.ViewerPreference;
import io.projector.signaling.session.SessionEntry;
import io.projector.signaling.session.SessionRegistry;
import io.projector.signaling.turn.IceServers;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Media negotiation over the standard WHIP (RFC 9725, presenter publishes) and WHEP (viewers play) exchanges:
 * {@code POST} an SDP offer → {@code 201 Created} with the answer and a {@code Location} for the new peer,
 * {@code PATCH} that location with trickled candidates, {@code DELETE} it to leave.
 */
public final class WhipWhepRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(WhipWhepRoutes.class);
  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();
  static final int MAX_SDP_BYTES = 64 * 1024;
  static final int MAX_FRAGMENT_BYTES = 16 * 1024;

  private final SessionRegistry registry;
  private final IceServers iceServers;

  public WhipWhepRoutes(SessionRegistry registry, IceServers iceServers) {
    this.registry = registry;
    this.iceServers = iceServers;
  }

  public void mount(Router router) {
    for (String kind : new String[] {"whip", "whep"}) {
      boolean presenter = kind.equals("whip");
      router.post("/" + kind + "/:id").handler(BodyHandler.create(false).setBodyLimit(MAX_SDP_BYTES))
          .handler(ctx -> offer(ctx, presenter));
      router.patch("/" + kind + "/:id/:peer").handler(BodyHandler.create(false).setBodyLimit(MAX_FRAGMENT_BYTES))
          .handler(ctx -> trickle(ctx, presenter));
      router.delete("/" + kind + "/:id/:peer").handler(ctx -> leave(ctx, presenter));
    }
  }

  private void offer(RoutingContext ctx, boolean presenter) {
    SessionEntry e = SessionRoutes.existing(registry, ctx.pathParam("id"));
    if (presenter) {
      SessionRoutes.requirePresenterKey(ctx, e);
    }
    requireContentType(ctx, "application/sdp");
    String sdp = ctx.body().asString();
    if (sdp == null || sdp.isBlank()) {
      throw new ApiError(ApiError.Code.BAD_SDP, "the request body must be an SDP offer");
    }
    MediaSession media = e.media();
    ViewerPreference preference;
    try {
      preference = ViewerPreference.parse(ctx.request().getParam("layer"), ctx.request().getParam("maxHeight"));
    } catch (IllegalArgumentException ex) {
      throw new ApiError(ApiError.Code.BAD_REQUEST, ex.getMessage());
    }
    // Negotiation runs here, on the event loop: it is CPU work of a millisecond or two that never blocks (sockets
    // are shared, DTLS runs on its own threads, media state is handed to the session's worker). Handed to a worker
    // thread instead, a join waited for that thread to be scheduled and then for the event loop again: on a busy
    // machine that cost up to hundreds of ms, against 1–10 ms of work.
    long receivedNs = System.nanoTime();
    long cpuNs = THREADS.getCurrentThreadCpuTime();
    PeerAnswer answer;
    try {
      answer = presenter ? media.publish(sdp) : media.subscribe(sdp, preference);
    } catch (SdpException err) {
      ApiError.send(ctx, ApiError.Code.BAD_SDP, "unusable SDP offer: " + err.getMessage());
      return;
    } catch (java.io.IOException | RuntimeException err) {
      LOG.warn("negotiation failed", err);
      ApiError.send(ctx, ApiError.Code.INTERNAL, "could not set up media: " + err.getClass().getSimpleName());
      return;
    }
    String kind = presenter ? "whip" : "whep";
    // Wall time against this thread's CPU time: when they differ, the thread waited (for a CPU, on a lock).
    LOG.info("{} offer for session {} answered in {} ms ({} ms of CPU)", kind,
        e.id().substring(0, Math.min(8, e.id().length())), (System.nanoTime() - receivedNs) / 1_000_000,
        cpuNs < 0 ? "?" : Long.toString((THREADS.getCurrentThreadCpuTime() - cpuNs) / 1_000_000));
    // RFC 9725 §4.6: STUN/TURN servers with this peer's own credentials, one Link header per URL.
    for (String link : iceServers.linkHeaders(iceServers.issue())) {
      ctx.response().headers().add("Link", link);
    }
    ctx.response().setStatusCode(201)
        .putHeader("Content-Type", "application/sdp")
        .putHeader("Location", "/" + kind + "/" + e.id() + "/" + answer.peerId())
        .putHeader("ETag", "\"" + answer.peerId() + "\"")
        .putHeader("Accept-Patch", "application/trickle-ice-sdpfrag")
        .end(answer.answerSdp());
  }

  private void trickle(RoutingContext ctx, boolean presenter) {
    SessionEntry e = SessionRoutes.existing(registry, ctx.pathParam("id"));
    String peerId = ctx.pathParam("peer");
    requirePeer(e, peerId);
    requireContentType(ctx, "application/trickle-ice-sdpfrag");
    IceFragment fragment;
    try {
      fragment = SdpFragParser.parse(ctx.body().asString() == null ? "" : ctx.body().asString());
    } catch (SdpException ex) {
      throw new ApiError(ApiError.Code.BAD_SDP, "unusable ICE fragment: " + ex.getMessage());
    }
    if (!e.media().trickle(peerId, fragment)) {
      throw new ApiError(ApiError.Code.PEER_NOT_FOUND, "no such peer in this session");
    }
    ctx.response().setStatusCode(204).end();
  }

  private void leave(RoutingContext ctx, boolean presenter) {
    SessionEntry e = SessionRoutes.existing(registry, ctx.pathParam("id"));
    String peerId = ctx.pathParam("peer");
    requirePeer(e, peerId);
    e.media().removePeer(peerId, "deleted");
    ctx.response().setStatusCode(200).end();
  }

  private static void requirePeer(SessionEntry e, String peerId) {
    if (!e.media().hasPeer(peerId)) {
      throw new ApiError(ApiError.Code.PEER_NOT_FOUND, "no such peer in this session (it may have left)");
    }
  }

  private static void requireContentType(RoutingContext ctx, String expected) {
    String ct = ctx.request().getHeader("Content-Type");
    String base = ct == null ? "" : ct.split(";", 2)[0].trim();
    if (!base.equalsIgnoreCase(expected)) {
      throw new ApiError(ApiError.Code.UNSUPPORTED_MEDIA_TYPE,
          "Content-Type must be " + expected + (ct == null ? "" : ", got " + abbreviate(ct)));
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 60) + "…";
  }
}
