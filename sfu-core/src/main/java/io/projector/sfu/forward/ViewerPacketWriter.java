package io.projector.sfu.forward;

import io.projector.sfu.rtp.TransportSequence;
import io.projector.sfu.srtp.SrtpEncoder;

/**
 * The per-viewer step of forwarding: turns the presenter's decrypted packet into the bytes one viewer receives,
 * in the caller's send buffer, ready for the socket.
 *
 * <ol>
 *   <li>{@link OutboundStream#copyOut}: the one copy per viewer, with SSRC, sequence number, timestamp, payload
 *       type and header-extension ids rewritten to the viewer's (plus the SFU's own elements);
 *   <li>for VP8, {@link Vp8Rewriter#rewriteIds}: the viewer's continuous PictureID and TL0PICIDX;
 *   <li>the viewer's own transport-wide sequence number, when negotiated;
 *   <li>{@link SrtpEncoder#protectRtp} with the viewer's keys, in place.
 * </ol>
 *
 * The source is only read, so the same packet is written for the next viewer. One instance per viewer, owned by
 * the session's worker thread. Nothing here allocates; jitsi-srtp underneath the encoder does (see
 * {@link SrtpEncoder}).
 */
public final class ViewerPacketWriter {
  /** The stream did not take the packet (it waits for a keyframe, or the extensions were malformed). */
  public static final int NOT_WRITTEN = -1;
  /** The packet was rewritten but could not be protected (counted by the encoder): it must not be sent. */
  public static final int PROTECT_FAILED = -2;

  private final SrtpEncoder encoder;
  private int nextTransportSeq;
  private int lastTransportSeq = -1;

  public ViewerPacketWriter(SrtpEncoder encoder) {
    this.encoder = encoder;
  }

  /**
   * Writes a presenter packet for this viewer into {@code dst} from offset 0. dst needs room for the packet, the
   * elements the stream adds and {@link SrtpEncoder#MAX_OVERHEAD}.
   *
   * @param stream        the viewer's stream for the packet's kind; {@link OutboundStream#accepts} must be true
   * @param vp8           the viewer's rewriter when the packet is VP8 and that rewriter admitted it, else null
   * @param keyframeStart whether the packet starts a keyframe (a video stream may only start there)
   * @return the protected length in dst, {@link #NOT_WRITTEN} or {@link #PROTECT_FAILED}
   */
  public int write(OutboundStream stream, Vp8Rewriter vp8, byte[] src, int len, boolean keyframeStart, byte[] dst) {
    int plainLength = stream.copyOut(src, len, dst, keyframeStart);
    if (plainLength < 0) {
      lastTransportSeq = -1;
      return NOT_WRITTEN;
    }
    if (vp8 != null) {
      vp8.rewriteIds(dst, 0, plainLength);
    }
    return seal(dst, plainLength, stream.transportSequenceId());
  }

  /**
   * Stamps the next transport-wide sequence number (when the packet has a slot with {@code transportSequenceId})
   * and protects a packet already rewritten for this viewer in dst[0, len), e.g. a retransmission.
   *
   * @return the protected length, or {@link #PROTECT_FAILED}
   */
  public int seal(byte[] dst, int len, int transportSequenceId) {
    lastTransportSeq = -1;
    if (transportSequenceId > 0 && TransportSequence.write(dst, 0, len, transportSequenceId, nextTransportSeq)) {
      lastTransportSeq = nextTransportSeq;
      nextTransportSeq = (nextTransportSeq + 1) & 0xffff;
    }
    int protectedLength = encoder.protectRtp(dst, 0, len);
    return protectedLength > 0 ? protectedLength : PROTECT_FAILED;
  }

  /**
   * The transport-wide sequence number the last {@link #write} or {@link #seal} stamped, or -1 when that packet
   * carried none; the viewer's feedback will report on it.
   */
  public int lastTransportSeq() {
    return lastTransportSeq;
  }
}
