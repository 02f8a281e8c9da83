package io.projector.signaling.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.projector.sfu.MediaCounters;
import io.projector.signaling.session.SessionRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Micrometer meters for the whole process, scraped in Prometheus format at {@code /metrics}. Names are dot.case
 * (Prometheus sees them as snake_case); tags are bounded sets of values — never a session id, peer id or SSRC.
 */
public final class Metrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public Metrics(MediaCounters media, SessionRegistry sessions) {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);

    Gauge.builder("projector.sessions", sessions, SessionRegistry::size)
        .description("sessions on this node").register(registry);
    Gauge.builder("projector.presenters.live", sessions, SessionRegistry::livePresenters)
        .description("sessions whose presenter media is connected").register(registry);
    Gauge.builder("projector.viewers", sessions, SessionRegistry::connectedViewers)
        .description("viewers whose media is connected").register(registry);

    counter("projector.rtp.packets", media.rtpPacketsIn, "direction", "in");
    counter("projector.rtp.packets", media.rtpPacketsOut, "direction", "out");
    counter("projector.rtp.bytes", media.rtpBytesIn, "direction", "in");
    counter("projector.rtp.bytes", media.rtpBytesOut, "direction", "out");
    counter("projector.rtcp.packets", media.rtcpPacketsIn, "direction", "in");
    counter("projector.rtcp.packets", media.rtcpPacketsOut, "direction", "out");
    counter("projector.srtp.failures", media.srtpFailures, null, null);
    counter("projector.packets.dropped", media.droppedQueueFull, "reason", "queue_full");
    counter("projector.packets.dropped", media.droppedSendQueueFull, "reason", "send_queue_full");
    counter("projector.packets.dropped", media.droppedNoRoute, "reason", "no_route");
    counter("projector.packets.dropped", media.sendFailures, "reason", "send_failed");
    counter("projector.packets.dropped", media.malformedPackets, "reason", "malformed");
    counter("projector.packets.dropped", media.unknownPackets, "reason", "unknown");
    counter("projector.keyframe.requests", media.keyframeRequestsFromViewers, "source", "viewers");
    counter("projector.keyframe.requests", media.keyframeRequestsSent, "source", "sent_to_presenter");
    counter("projector.dtls.failures", media.dtlsFailures, "reason", "handshake");
    counter("projector.dtls.failures", media.dtlsFingerprintMismatches, "reason", "fingerprint_mismatch");
    counter("projector.ice.failures", media.iceFailures, null, null);
    counter("projector.ice.checks.rejected", media.iceChecksRejected, null, null);
    counter("projector.packets.dropped", media.datagramsFromUnknownSources, "reason", "unknown_source");
    counter("projector.packets.dropped", media.datagramsFailed, "reason", "handling_failed");
    counter("projector.peers.timed.out", media.peersTimedOut, null, null);
    counter("projector.nacks", media.nacksFromViewers, "direction", "from_viewers");
    counter("projector.nacks", media.nacksSentToPresenter, "direction", "to_presenter");
    counter("projector.retransmissions", media.packetsRetransmitted, "result", "sent");
    counter("projector.retransmissions", media.retransmissionMisses, "result", "miss");
    counter("projector.retransmissions", media.packetsRepairedFromPresenter, "result", "repaired_upstream");
    counter("projector.packets.dropped", media.paddingProbesDropped, "reason", "padding_probe");
    counter("projector.viewers.caught.up", media.viewersCaughtUpFromCache, null, null);

    media.forwardDelayNs = histogram("projector.forward.delay",
        "arrival of a presenter packet on the host to its send to the last viewer", Duration.ofNanos(10_000),
        Duration.ofMillis(100));
    media.receiveDelayNs = histogram("projector.receive.delay",
        "arrival of a presenter packet on the host (kernel stamp) to its read by the media port",
        Duration.ofNanos(1_000), Duration.ofSeconds(1));
  }

  /** A latency histogram, as the hook sfu-core calls with nanoseconds. */
  private java.util.function.LongConsumer histogram(String name, String description, Duration min, Duration max) {
    Timer timer = Timer.builder(name).description(description).publishPercentileHistogram()
        .minimumExpectedValue(min).maximumExpectedValue(max).register(registry);
    return ns -> timer.record(ns, TimeUnit.NANOSECONDS);
  }

  private void counter(String name, LongAdder adder, String tagKey, String tagValue) {
    FunctionCounter.Builder<LongAdder> b = FunctionCounter.builder(name, adder, LongAdder::sum);
    if (tagKey != null) {
      b.tag(tagKey, tagValue);
    }
    b.register(registry);
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
