package io.projector.sfu.session;

import io.projector.sfu.srtp.SrtpEncoder;

/**
 * A received RTP/RTCP datagram copied out of the network buffer, queued for the session's worker. Instances
 * are pooled by {@link SessionWorker}; the array keeps tail room so the same bytes can be re-protected.
 */
final class InboundPacket {
  static final int CAPACITY = 1500 + SrtpEncoder.MAX_OVERHEAD;

  final byte[] buf = new byte[CAPACITY];
  int length;
  long arrivalMs;
  long arrivalNs;
  Peer peer;
  boolean rtcp;
}
