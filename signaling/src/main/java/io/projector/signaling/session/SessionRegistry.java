package io.projector.signaling.session;

import io.projector.sfu.MediaServer;
import io.projector.sfu.session.MediaSession;
import io.projector.sfu.session.SessionListener;
import io.projector.signaling.events.ServerMessage;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live sessions of this node. Ids are 128 random bits (URL-safe base64, 22 characters); the presenter key
 * is another 192 random bits, returned once at creation and stored only as a hash.
 */
public final class SessionRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(SessionRegistry.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final MediaServer mediaServer;
  private final Map<String, SessionEntry> sessions = new ConcurrentHashMap<>();

  public SessionRegistry(MediaServer mediaServer) {
    this.mediaServer = mediaServer;
  }

  /** A new session and its presenter key (the only time the key is available). */
  public record Created(SessionEntry entry, String presenterKey) {}

  public Created create() {
    String id = randomToken(16);
    String key = randomToken(24);
    MediaSession media = mediaServer.createSession(id);
    SessionEntry entry = new SessionEntry(id, key, Instant.now(), media);
    media.addListener(new SessionListener() {
      @Override
      public void onPresenterLive(boolean live) {
        entry.touch(System.currentTimeMillis());
        entry.broadcast(new ServerMessage.Presenter(live));
      }

      @Override
      public void onViewerCount(int connectedViewers) {
        entry.touch(System.currentTimeMillis());
        entry.broadcast(new ServerMessage.Viewers(connectedViewers));
      }

      @Override
      public void onLayerAdvice(java.util.List<String> activeRids) {
        entry.broadcast(new ServerMessage.Layers(activeRids));
      }
    });
    sessions.put(id, entry);
    LOG.info("session {} created", shortId(id));
    return new Created(entry, key);
  }

  public Optional<SessionEntry> find(String id) {
    if (id == null || id.length() > 64) {
      return Optional.empty();
    }
    SessionEntry e = sessions.get(id);
    return e == null || e.ended() ? Optional.empty() : Optional.of(e);
  }

  /** Ends a session: media closed, subscribers told why and disconnected. */
  public void end(SessionEntry entry, String reason) {
    if (!entry.markEnded()) {
      return;
    }
    sessions.remove(entry.id());
    entry.media().close();
    entry.broadcast(new ServerMessage.Ended(reason));
    entry.subscribers().forEach(ws -> ws.close((short) 1000, "session ended"));
    LOG.info("session {} ended ({})", shortId(entry.id()), reason);
  }

  /** Ends sessions that had no presenter and no viewer for longer than the idle timeout. */
  public void expireIdle(long nowMs, long idleTimeoutMs) {
    for (SessionEntry e : sessions.values()) {
      boolean idle = !e.media().presenterLive() && e.media().viewerCount() == 0;
      if (!idle) {
        e.touch(nowMs);
      } else if (nowMs - e.idleSinceMs() > idleTimeoutMs) {
        end(e, "expired");
      }
    }
  }

  public int size() {
    return sessions.size();
  }

  public int livePresenters() {
    int n = 0;
    for (SessionEntry e : sessions.values()) {
      n += e.media().presenterLive() ? 1 : 0;
    }
    return n;
  }

  public int connectedViewers() {
    int n = 0;
    for (SessionEntry e : sessions.values()) {
      n += e.media().viewerCount();
    }
    return n;
  }

  public void closeAll() {
    for (SessionEntry e : sessions.values()) {
      end(e, "server_shutdown");
    }
  }

  static String randomToken(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** Session ids in logs are shortened: enough to correlate, not enough to join. */
  public static String shortId(String id) {
    return id.substring(0, Math.min(6, id.length()));
  }
}
