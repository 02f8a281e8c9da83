package io.projector.sfu;

import io.projector.sfu.dtls.DtlsCertificate;
import io.projector.sfu.ice.MediaPort;
import io.projector.sfu.ice.SendLanes;
import io.projector.sfu.session.MediaSession;
import io.projector.sfu.session.SessionContext;
import io.projector.sfu.session.Sessions;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The media plane: one UDP port, one DTLS certificate, and the media sessions. Thread-safe; create sessions
 * from any thread, negotiate peers on threads that may block.
 */
public final class MediaServer implements AutoCloseable {
  private final SessionContext context;

  private MediaServer(SessionContext context) {
    this.context = context;
  }

  public static MediaServer start(MediaConfig config) throws IOException {
    MediaCounters counters = new MediaCounters();
    MediaPort port = MediaPort.open(config.bindAddresses(), config.mediaPort(), counters);
    AtomicInteger n = new AtomicInteger();
    ExecutorService dtls = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "dtls-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    DtlsCertificate certificate = DtlsCertificate.generate();
    CryptoWarmup.run(certificate, dtls);
    return new MediaServer(new SessionContext(config, counters, port, certificate, dtls,
        new SendLanes(config.sendThreads(), counters.droppedSendQueueFull)));
  }

  /** A new media session; close it with {@link MediaSession#close()}. */
  public MediaSession createSession(String id) {
    return Sessions.create(id, context);
  }

  public int mediaPort() {
    return context.mediaPort().port();
  }

  public java.util.List<String> boundAddresses() {
    return context.mediaPort().boundAddresses();
  }

  public MediaCounters counters() {
    return context.counters();
  }

  public String certificateFingerprint() {
    return context.certificate().fingerprint().toSdpValue();
  }

  @Override
  public void close() {
    context.mediaPort().close();
    context.dtlsExecutor().shutdownNow();
    context.sendLanes().close();
  }
}
