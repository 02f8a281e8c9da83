package io.projector.sfu;

import io.projector.sfu.dtls.DtlsCertificate;
import io.projector.sfu.ice.MediaPort;
import io.projector.sfu.ice.SendLanes;
import io.projector.sfu.session.MediaSession;
import io.projector.sfu.session.SessionContext;
import io.projector.sfu.session.Sessions;
import io.projector.sfu.udp.KernelTimestamps;
import io.projector.sfu.udp.MmsgBatch;
import io.projector.sfu.udp.Sendmmsg;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media plane: one UDP port, one DTLS certificate, and the media sessions. Thread-safe; create sessions
 * from any thread, negotiate peers on threads that may block.
 */
public final class MediaServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MediaServer.class);
  private final SessionContext context;
  private final CompletableFuture<Void> warmUp;

  private MediaServer(SessionContext context, CompletableFuture<Void> warmUp) {
    this.context = context;
    this.warmUp = warmUp;
  }

  public static MediaServer start(MediaConfig config) throws IOException {
    MediaCounters counters = new MediaCounters();
    MediaPort port = MediaPort.open(config.bindAddresses(), config.mediaPort(), counters);
    long warmUpNs = System.nanoTime();
    if (!port.warmUpChecks()) {
      LOG.warn("ICE warm-up: a well-formed check was not answered (browsers' checks may fail the same way)");
    }
    LOG.debug("ICE warm-up took {} ms", (System.nanoTime() - warmUpNs) / 1_000_000);
    AtomicInteger n = new AtomicInteger();
    ExecutorService dtls = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "dtls-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    DtlsCertificate certificate = DtlsCertificate.generate();
    CompletableFuture<Void> warmUp = CryptoWarmup.run(certificate, dtls);
    boolean batching = Sendmmsg.available() && port.descriptorsKnown() && config.sendThreads() > 0;
    SendLanes lanes = new SendLanes(config.sendThreads(), counters.droppedSendQueueFull, counters.sendFailures,
        batching);
    LOG.info("fan-out sends: {}", describeSending(config.sendThreads(), batching, port));
    LOG.info("presenter packet arrival times: {}", describeArrivalTimes(port));
    return new MediaServer(new SessionContext(config, counters, port, certificate, dtls, lanes), warmUp);
  }

  private static String describeArrivalTimes(MediaPort port) {
    if (KernelTimestamps.available() && port.descriptorsKnown()) {
      return "the kernel's receive stamps (SIOCGSTAMPNS)";
    }
    String why = KernelTimestamps.available() ? "socket descriptors unknown" : KernelTimestamps.unavailableReason();
    return "read times (" + why + "): a busy server's read delays look like network delay to presenters' "
        + "congestion control";
  }

  private static String describeSending(int threads, boolean batching, MediaPort port) {
    if (threads == 0) {
      return "on each session's worker, one datagram per call";
    }
    String lanes = threads + " send thread" + (threads == 1 ? "" : "s") + ", ";
    if (batching) {
      return lanes + "batched with sendmmsg (up to " + MmsgBatch.CAPACITY + " datagrams per call)";
    }
    String why = !Sendmmsg.available() ? Sendmmsg.unavailableReason()
        : "the JVM hides socket descriptors (run with --add-exports java.base/sun.nio.ch=ALL-UNNAMED;"
            + " the server jar's manifest does this)";
    return lanes + "one datagram per call: " + why;
  }

  /** Completes when the start-up JIT warm-up has ended (see {@link CryptoWarmup}): a second or two after start. */
  public CompletableFuture<Void> warmUp() {
    return warmUp;
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
    context.sendLanes().close(); // first: the lanes write to the port's socket descriptors
    context.mediaPort().close();
    context.dtlsExecutor().shutdownNow();
  }
}
