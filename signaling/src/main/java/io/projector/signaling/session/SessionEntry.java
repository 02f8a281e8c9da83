package io.projector.signaling.session;

import io.projector.sfu.session.MediaSession;
import io.projector.signaling.events.ServerMessage;
import io.vertx.core.http.ServerWebSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** One session as the API sees it: id, the presenter key (only its hash is kept), media, event subscribers. */
public final class SessionEntry {
  private final String id;
  private final byte[] presenterKeySha256;
  private final Instant createdAt;
  private final MediaSession media;
  private final Set<ServerWebSocket> subscribers = ConcurrentHashMap.newKeySet();
  private volatile boolean ended;
  private volatile long idleSinceMs;

  SessionEntry(String id, String presenterKey, Instant createdAt, MediaSession media) {
    this.id = id;
    this.presenterKeySha256 = sha256(presenterKey);
    this.createdAt = createdAt;
    this.media = media;
    this.idleSinceMs = createdAt.toEpochMilli();
  }

  public String id() {
    return id;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public MediaSession media() {
    return media;
  }

  public boolean ended() {
    return ended;
  }

  /** Constant-time check of a presented key (the key itself is never stored or logged). */
  public boolean presenterKeyMatches(String candidate) {
    return candidate != null && MessageDigest.isEqual(presenterKeySha256, sha256(candidate));
  }

  public Set<ServerWebSocket> subscribers() {
    return subscribers;
  }

  public void broadcast(ServerMessage message) {
    String text = message.toJson().encode();
    for (ServerWebSocket ws : subscribers) {
      if (!ws.isClosed()) {
        ws.writeTextMessage(text);
      }
    }
  }

  /** Marks the session ended; returns false if it already was. */
  boolean markEnded() {
    if (ended) {
      return false;
    }
    ended = true;
    return true;
  }

  long idleSinceMs() {
    return idleSinceMs;
  }

  void touch(long nowMs) {
    idleSinceMs = nowMs;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
