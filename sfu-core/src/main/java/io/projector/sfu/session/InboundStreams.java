package io.projector.sfu.session;

import io.projector.sfu.rtcp.ReceiveStatistics;

/**
 * Receive statistics of a presenter's incoming SSRCs (media, simulcast layers, RTX), looked up per packet. A few
 * entries in an array: no boxing of the SSRC and no allocation per packet, and a bound so a flood of SSRCs cannot
 * grow it. Worker thread only.
 */
final class InboundStreams {
  /** Simulcast + RTX fit; a flood does not. */
  static final int MAX_SSRCS = 16;

  private final ReceiveStatistics[] streams = new ReceiveStatistics[MAX_SSRCS];
  private int count;

  /** The statistics of this SSRC, created on first sight; null once {@link #MAX_SSRCS} are tracked. */
  ReceiveStatistics findOrAdd(long ssrc, int clockRateHz) {
    ReceiveStatistics s = find(ssrc);
    if (s == null && count < MAX_SSRCS) {
      s = new ReceiveStatistics(ssrc, clockRateHz);
      streams[count++] = s;
    }
    return s;
  }

  ReceiveStatistics find(long ssrc) {
    for (int i = 0; i < count; i++) {
      if (streams[i].ssrc() == ssrc) {
        return streams[i];
      }
    }
    return null;
  }

  int size() {
    return count;
  }

  ReceiveStatistics get(int i) {
    return streams[i];
  }
}
