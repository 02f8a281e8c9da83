package io.projector.sfu;

import java.net.InetAddress;
import java.util.List;

/**
 * Configuration of the media plane.
 *
 * @param mediaPort the one UDP port for all media (0 = pick a free port)
 * @param bindAddresses addresses to bind the media port on; empty = every address of every interface that is up
 * @param publicAddresses addresses announced to peers in addition to the bound ones (e.g. the public IP of a
 *     host behind 1:1 NAT); announced first, with the highest priority
 * @param peerTimeoutMs a connected peer that sends nothing for this long is removed
 * @param connectTimeoutMs a peer that does not finish ICE + DTLS within this long is removed
 * @param keyframeMinIntervalMs at most one keyframe request to the presenter per this interval
 * @param receiverReportIntervalMs how often receiver reports go to the presenter
 * @param startBitrateKbps the video bitrate a presenter's browser starts at (Chrome's x-google-start-bitrate)
 * @param sendThreads threads that make the send syscalls of the fan-out (default: one per core); 0 = each
 *     session's worker sends itself
 */
public record MediaConfig(
    int mediaPort,
    List<InetAddress> bindAddresses,
    List<String> publicAddresses,
    long peerTimeoutMs,
    long connectTimeoutMs,
    long keyframeMinIntervalMs,
    long receiverReportIntervalMs,
    int startBitrateKbps,
    int sendThreads) {

  public static final int DEFAULT_MEDIA_PORT = 10000;
  public static final long DEFAULT_PEER_TIMEOUT_MS = 10_000;
  public static final long DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
  public static final long DEFAULT_KEYFRAME_MIN_INTERVAL_MS = 250;
  public static final long DEFAULT_RECEIVER_REPORT_INTERVAL_MS = 1_000;
  public static final int DEFAULT_START_BITRATE_KBPS = 2500;
  public static final int DEFAULT_SEND_THREADS = Runtime.getRuntime().availableProcessors();

  public MediaConfig {
    if (mediaPort < 0 || mediaPort > 65535) {
      throw new IllegalArgumentException("media port must be 0..65535, got " + mediaPort);
    }
    bindAddresses = List.copyOf(bindAddresses);
    publicAddresses = List.copyOf(publicAddresses);
    if (peerTimeoutMs < 1000 || connectTimeoutMs < 1000) {
      throw new IllegalArgumentException("peer and connect timeouts must be at least 1000 ms");
    }
    if (keyframeMinIntervalMs < 0 || receiverReportIntervalMs < 100) {
      throw new IllegalArgumentException("keyframe interval must be >= 0 ms and report interval >= 100 ms");
    }
    if (sendThreads < 0 || sendThreads > 64) {
      throw new IllegalArgumentException("send threads must be 0..64, got " + sendThreads);
    }
    if (startBitrateKbps < 0 || startBitrateKbps > 100_000) {
      throw new IllegalArgumentException("start bitrate must be 0..100000 kbit/s, got " + startBitrateKbps);
    }
  }

  public static MediaConfig defaults() {
    return new MediaConfig(DEFAULT_MEDIA_PORT, List.of(), List.of(), DEFAULT_PEER_TIMEOUT_MS,
        DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_KEYFRAME_MIN_INTERVAL_MS, DEFAULT_RECEIVER_REPORT_INTERVAL_MS, DEFAULT_START_BITRATE_KBPS,
        DEFAULT_SEND_THREADS);
  }

  public MediaConfig withMediaPort(int port) {
    return new MediaConfig(port, bindAddresses, publicAddresses, peerTimeoutMs, connectTimeoutMs,
        keyframeMinIntervalMs, receiverReportIntervalMs, startBitrateKbps, sendThreads);
  }

  public MediaConfig withPublicAddresses(List<String> addresses) {
    return new MediaConfig(mediaPort, bindAddresses, addresses, peerTimeoutMs, connectTimeoutMs,
        keyframeMinIntervalMs, receiverReportIntervalMs, startBitrateKbps, sendThreads);
  }

  public MediaConfig withBindAddresses(List<InetAddress> addresses) {
    return new MediaConfig(mediaPort, addresses, publicAddresses, peerTimeoutMs, connectTimeoutMs,
        keyframeMinIntervalMs, receiverReportIntervalMs, startBitrateKbps, sendThreads);
  }

  public MediaConfig withStartBitrateKbps(int kbps) {
    return new MediaConfig(mediaPort, bindAddresses, publicAddresses, peerTimeoutMs, connectTimeoutMs,
        keyframeMinIntervalMs, receiverReportIntervalMs, kbps, sendThreads);
  }

  public MediaConfig withPeerTimeoutMs(long timeoutMs) {
    return new MediaConfig(mediaPort, bindAddresses, publicAddresses, timeoutMs, connectTimeoutMs,
        keyframeMinIntervalMs, receiverReportIntervalMs, startBitrateKbps, sendThreads);
  }

  public MediaConfig withSendThreads(int threads) {
    return new MediaConfig(mediaPort, bindAddresses, publicAddresses, peerTimeoutMs, connectTimeoutMs,
        keyframeMinIntervalMs, receiverReportIntervalMs, startBitrateKbps, threads);
  }
}
