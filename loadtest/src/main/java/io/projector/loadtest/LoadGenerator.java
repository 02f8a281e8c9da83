package io.projector.loadtest;

import io.projector.loadtest.measure.DelayHistogram;
import io.projector.loadtest.measure.ProcessSampler;
import io.projector.loadtest.media.Vp8Clip;
import io.projector.loadtest.peer.LocalIdentity;
import io.projector.loadtest.peer.LocalSdp;
import io.projector.loadtest.peer.NetworkLoop;
import io.projector.loadtest.peer.PeerConnection;
import io.projector.loadtest.peer.RemoteMedia;
import io.projector.loadtest.presenter.SyntheticPresenter;
import io.projector.loadtest.signal.Negotiated;
import io.projector.loadtest.signal.Signaling;
import io.projector.loadtest.signal.ViewerSdp;
import io.projector.loadtest.viewer.SyntheticViewer;
import io.projector.loadtest.viewer.ViewerSnapshot;
import io.projector.sfu.CryptoWarmup;
import io.projector.sfu.dtls.DtlsCertificate;
import io.projector.sfu.sdp.SdpException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one load test: a synthetic presenter publishes, viewers join step by step, each step is measured
 * ({@link StepMeter}). Threads: {@value #RX_THREADS} network loops sharing the sockets (viewers alternate), a small pool for joins (signalling is
 * blocking HTTP), DTLS handshakes on a cached pool, and two timer threads (checks, viewer ticks, progress).
 */
public final class LoadGenerator implements AutoCloseable {
  static final long JOIN_TIMEOUT_MS = 30_000;
  static final long TICK_MS = 20;
  /** Receive threads: two, so that the generator's own receiving is not what delays packets first. */
  static final int RX_THREADS = 2;

  private final LoadConfig config;
  private final Signaling signaling;
  private final Vp8Clip clip;
  private final PrintStream out;
  private final boolean trackPresenterPackets;
  private final DtlsCertificate certificate = DtlsCertificate.generate();
  private final InetAddress localAddress;
  private final InetAddress serverAddress;
  private final NetworkLoop[] loops = new NetworkLoop[RX_THREADS];
  private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, daemon("loadtest-timer"));
  private final ExecutorService joins = Executors.newFixedThreadPool(4, daemon("loadtest-join"));
  private final ExecutorService dtlsThreads = Executors.newCachedThreadPool(daemon("loadtest-dtls"));
  private final DelayHistogram delays = new DelayHistogram();
  private final List<Joined> viewers = new CopyOnWriteArrayList<>();
  private final AtomicInteger failedJoins = new AtomicInteger();
  private SyntheticPresenter presenter;
  private PeerConnection presenterConnection;

  /** One connected viewer. */
  public record Joined(SyntheticViewer viewer, PeerConnection connection, Negotiated negotiated) {}

  /**
   * @param trackPresenterPackets every viewer decrypts everything and records each presenter packet index it
   *     got (for tests with a few viewers: "every viewer received every packet")
   */
  public LoadGenerator(LoadConfig config, Signaling signaling, Vp8Clip clip, PrintStream out,
      boolean trackPresenterPackets) throws IOException {
    this.config = config;
    this.signaling = signaling;
    this.clip = clip;
    this.out = out;
    this.trackPresenterPackets = trackPresenterPackets;
    this.serverAddress = InetAddress.getByName(URI.create(config.server()).getHost());
    this.localAddress = config.bind() != null ? InetAddress.getByName(config.bind())
        : localAddressToward(serverAddress);
    for (int i = 0; i < RX_THREADS; i++) {
      loops[i] = new NetworkLoop("loadtest-rx-" + i);
    }
    // jitsi-srtp benchmarks AES implementations on first use (seconds); do it before the presenter's clock runs
    CryptoWarmup.run(certificate, dtlsThreads);
  }

  /** Publishes the presenter; returns once its media flows. */
  public void startPresenter() throws IOException, InterruptedException {
    presenter = new SyntheticPresenter(clip, config.bitrateKbps());
    DatagramChannel channel = openChannel();
    LocalIdentity id = LocalIdentity.create((InetSocketAddress) channel.getLocalAddress(), certificate);
    String answer = signaling.publish(presenter.offer(new LocalSdp(id)));
    RemoteMedia remote = parse(answer);
    channel.connect(remote.candidate());
    presenterConnection = new PeerConnection(channel, id, remote, true, presenter);
    loops[0].register(channel, presenterConnection);
    await(presenterConnection.establish(timers, dtlsThreads, JOIN_TIMEOUT_MS), "the presenter's connection");
    presenter.start(presenterConnection, remote.rtxPayloadType());
    timers.scheduleAtFixedRate(this::tickViewers, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
  }

  /**
   * Joins {@code count} more viewers at the configured rate and waits until each has connected or failed.
   *
   * @return the viewers that failed to join
   */
  public int addViewers(int count) throws InterruptedException {
    int sampleEvery = Math.max(1, (int) Math.ceil((double) config.viewers() / config.sampleViewers()));
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    long startNs = System.nanoTime();
    int failedBefore = failedJoins.get();
    int base = viewers.size();
    for (int i = 0; i < count; i++) {
      int index = base + i;
      long dueNs = startNs + i * 1_000_000_000L / config.joinsPerSecond();
      long waitNs = dueNs - System.nanoTime();
      if (waitNs > 0) {
        TimeUnit.NANOSECONDS.sleep(waitNs); // the join rate is the workload, not a synchronisation
      }
      boolean decryptAll = trackPresenterPackets || index % sampleEvery == 0;
      pending.add(CompletableFuture.runAsync(() -> join(index, decryptAll), joins)
          .exceptionally(e -> {
            failedJoins.incrementAndGet();
            out.println("viewer " + index + " did not join: " + rootMessage(e));
            return null;
          }));
    }
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
    return failedJoins.get() - failedBefore;
  }

  private void join(int index, boolean decryptAll) {
    try {
      DatagramChannel channel = openChannel();
      LocalIdentity id = LocalIdentity.create((InetSocketAddress) channel.getLocalAddress(), certificate);
      LocalSdp sdp = new LocalSdp(id);
      BitSet packets = trackPresenterPackets ? new BitSet() : null;
      SyntheticViewer viewer = new SyntheticViewer(index, decryptAll, delays, packets, System.nanoTime());
      Negotiated negotiated = signaling.subscribe(new ViewerSdp() {
        @Override
        public String offer() {
          return sdp.viewerOffer();
        }

        @Override
        public String answer(String remoteOffer) {
          try {
            return sdp.viewerAnswer(remoteOffer);
          } catch (SdpException e) {
            throw new IllegalArgumentException("cannot answer the server's offer: " + e.getMessage(), e);
          }
        }
      });
      RemoteMedia remote = parse(negotiated.remoteSdp());
      channel.connect(remote.candidate());
      PeerConnection connection = new PeerConnection(channel, id, remote, !negotiated.remoteIsOffer(), viewer);
      viewer.attach(connection, remote.rtxPayloadType());
      loops[(index + 1) % RX_THREADS].register(channel, connection);
      await(connection.establish(timers, dtlsThreads, JOIN_TIMEOUT_MS), "viewer " + index);
      viewers.add(new Joined(viewer, connection, negotiated));
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private void tickViewers() {
    long now = System.nanoTime();
    for (Joined j : viewers) {
      j.viewer().tick(now);
    }
  }

  /** Video packet counters summed over every viewer, at one moment. */
  public record Totals(long expected, long received, long lost, long bytes) {}

  public Totals totals() {
    long expected = 0;
    long received = 0;
    long lost = 0;
    long bytes = 0;
    for (Joined j : viewers) {
      ViewerSnapshot s = j.viewer().snapshot();
      expected += s.expected();
      received += s.received();
      lost += s.lost();
      bytes += s.bytes();
    }
    return new Totals(expected, received, lost, bytes);
  }

  public List<Joined> viewers() {
    return viewers;
  }

  public SyntheticPresenter presenter() {
    return presenter;
  }

  public DelayHistogram delays() {
    return delays;
  }

  public LoadConfig config() {
    return config;
  }

  public PrintStream out() {
    return out;
  }

  public ProcessSampler serverProcess() {
    return config.serverPid() > 0 ? new ProcessSampler(config.serverPid()) : null;
  }

  private DatagramChannel openChannel() throws IOException {
    DatagramChannel channel = DatagramChannel.open();
    channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 1 << 20);
    channel.bind(new InetSocketAddress(localAddress, 0));
    return channel;
  }

  private RemoteMedia parse(String sdp) throws IOException {
    try {
      return RemoteMedia.parse(sdp, serverAddress);
    } catch (SdpException e) {
      throw new IOException("the server's SDP is not usable: " + e.getMessage(), e);
    }
  }

  /** The local address the kernel would send from toward the server (connecting a UDP socket sends nothing). */
  static InetAddress localAddressToward(InetAddress server) throws IOException {
    try (DatagramChannel probe = DatagramChannel.open()) {
      probe.connect(new InetSocketAddress(server, 9));
      return ((InetSocketAddress) probe.getLocalAddress()).getAddress();
    }
  }

  private static void await(CompletableFuture<Void> f, String what) throws IOException, InterruptedException {
    try {
      f.get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException(what + " did not connect: " + rootMessage(e), e.getCause());
    }
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Counts open gaps as lost, removes every viewer and the presenter from the server, frees sockets. */
  @Override
  public void close() {
    for (Joined j : viewers) {
      j.viewer().finish();
    }
    timers.shutdownNow();
    viewers.parallelStream().forEach(j -> {
      signaling.unsubscribe(j.negotiated());
      j.connection().close();
    });
    if (presenter != null) {
      presenter.close();
    }
    signaling.close();
    if (presenterConnection != null) {
      presenterConnection.close();
    }
    for (NetworkLoop l : loops) {
      l.close();
    }
    joins.shutdownNow();
    dtlsThreads.shutdownNow();
  }
}
