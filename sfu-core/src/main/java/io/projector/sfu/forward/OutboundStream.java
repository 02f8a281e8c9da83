package io.projector.sfu.forward;

import io.projector.sfu.rtp.HeaderExtensionMap;
import io.projector.sfu.rtp.RtpHeader;

/**
 * What one viewer receives of one kind of media (audio or video): a single continuous RTP stream with the
 * SFU's SSRC, the viewer's payload types and extension ids, and sequence numbers and timestamps that stay
 * continuous when the presenter's source changes (a reconnect, later a simulcast layer switch).
 *
 * <p>Video starts at a keyframe: until then packets are held back (the viewer could not decode them anyway)
 * and the caller is told to ask the presenter for one. Owned by the session's worker thread.
 */
public final class OutboundStream implements Retransmitter.ViewerStream {
  /** Timestamp step assumed between the last packet of an old source and the first of a new one (~1 frame). */
  private static final long SOURCE_SWITCH_TIMESTAMP_STEP = 3000;

  private final long ssrc;
  private final boolean video;
  private final byte[] payloadTypeMap = new byte[128];
  private HeaderExtensionMap extensionMap = new HeaderExtensionMap();
  private int addedExtensionId;
  private int addedExtensionValue;
  private int transportSequenceId;

  private long sourceSsrc = -1;
  private boolean started;
  private boolean awaitingSourceSwitch;
  private int seqOffset;
  private long tsOffset;
  private int lastSeq;
  /** Viewer sequence number of the first packet from the current source; NACKs before it are for another one. */
  private int sourceFirstSeq;
  /** Whether sourceFirstSeq still bounds {@link #sourceSequence}: until the numbering has moved 16384 past it. */
  private boolean sourceFirstSeqBounds;
  private long lastTs;
  private long packetsSent;
  private long bytesSent;

  public OutboundStream(long ssrc, boolean video) {
    this.ssrc = ssrc;
    this.video = video;
    java.util.Arrays.fill(payloadTypeMap, (byte) -1);
  }

  public long ssrc() {
    return ssrc;
  }

  public boolean isVideo() {
    return video;
  }

  /** Replaces the payload-type and extension maps (on negotiation or when the presenter republishes). */
  public void configure(int[] ptMap, HeaderExtensionMap extensions) {
    for (int i = 0; i < 128; i++) {
      payloadTypeMap[i] = (byte) (i < ptMap.length ? ptMap[i] : -1);
    }
    this.extensionMap = extensions;
  }

  /**
   * Adds a 3-byte header-extension element (the viewer's id, 1..14) to every packet, e.g. playout-delay.
   * Id 0 disables it.
   */
  public void addExtension(int id, int value24) {
    this.addedExtensionId = id >= 1 && id <= 14 ? id : 0;
    this.addedExtensionValue = value24;
  }

  /**
   * Adds an empty 2-byte transport-wide sequence number element (the viewer's id, 1..14) to every packet; the
   * caller writes the value per packet with {@link io.projector.sfu.rtp.TransportSequence#write}. Id 0 disables it.
   */
  public void addTransportSequence(int id) {
    this.transportSequenceId = id >= 1 && id <= 14 ? id : 0;
  }

  public int transportSequenceId() {
    return transportSequenceId;
  }

  /**
   * Copies a source packet (decrypted) into {@code dst} for this viewer: SSRC, sequence number, timestamp,
   * payload type and extension ids rewritten to the viewer's. The source is not modified, so it can be copied
   * for the next viewer. Call only when {@link #accepts} is true.
   *
   * @return the length in dst, or -1 when the packet must not be sent to this viewer
   */
  @Override
  public int copyOut(byte[] src, int len, byte[] dst, boolean keyframeStart) {
    if (!admit(RtpHeader.ssrc(src, 0), RtpHeader.sequenceNumber(src, 0), RtpHeader.timestamp(src, 0),
        keyframeStart)) {
      return -1;
    }
    int outLen = io.projector.sfu.rtp.ExtensionCopy.copy(src, len, dst, extensionMap, addedExtensionId,
        addedExtensionValue, transportSequenceId);
    if (outLen < 0) {
      return -1;
    }
    stamp(dst, outLen);
    return outLen;
  }

  /** Whether this viewer can receive the source's payload type at all. */
  @Override
  public boolean accepts(int sourcePayloadType) {
    return payloadTypeMap[sourcePayloadType & 0x7f] >= 0;
  }

  /** Whether the stream still waits for its first keyframe (or for the keyframe of a new source). */
  public boolean awaitingKeyframe() {
    return video && (!started || awaitingSourceSwitch);
  }

  /** Source-switch and keyframe gating; updates the offsets when a new source starts. */
  private boolean admit(long srcSsrc, int seq, long ts, boolean keyframeStart) {
    if (srcSsrc != sourceSsrc) {
      if (video && !keyframeStart) {
        awaitingSourceSwitch = started;
        return false; // a new source can only be joined at a keyframe
      }
      awaitingSourceSwitch = false;
      rebase(srcSsrc, seq, ts);
    }
    return true;
  }

  /** Writes this viewer's SSRC, sequence number, timestamp and payload type into the copy. */
  private void stamp(byte[] buf, int len) {
    int outSeq = (RtpHeader.sequenceNumber(buf, 0) + seqOffset) & 0xffff;
    long outTs = (RtpHeader.timestamp(buf, 0) + tsOffset) & 0xffffffffL;
    RtpHeader.setSequenceNumber(buf, 0, outSeq);
    RtpHeader.setTimestamp(buf, 0, outTs);
    RtpHeader.setSsrc(buf, 0, ssrc);
    RtpHeader.setPayloadType(buf, 0, payloadTypeMap[RtpHeader.payloadType(buf, 0)]);
    if (((outSeq - lastSeq) & 0xffff) < 0x8000 || !started) {
      lastSeq = outSeq;
      lastTs = outTs;
      if (sourceFirstSeqBounds && ((lastSeq - sourceFirstSeq) & 0xffff) >= 0x4000) {
        sourceFirstSeqBounds = false; // far past the switch; the bound would soon wrap and reject everything
      }
    }
    started = true;
    packetsSent++;
    bytesSent += len;
  }

  private void rebase(long srcSsrc, int seq, long ts) {
    if (started) {
      seqOffset = (lastSeq + 1 - seq) & 0xffff;
      tsOffset = (lastTs + SOURCE_SWITCH_TIMESTAMP_STEP - ts) & 0xffffffffL;
    } else {
      seqOffset = 0;
      tsOffset = 0;
    }
    sourceSsrc = srcSsrc;
    sourceFirstSeq = (seq + seqOffset) & 0xffff;
    sourceFirstSeqBounds = true;
  }

  /**
   * The source sequence number of what this viewer received as viewerSeq, for answering its NACKs from the
   * source's packet cache; -1 when viewerSeq was not sent from the current source (before a source switch, or
   * not sent yet), since the current offset would then name an unrelated packet.
   */
  @Override
  public int sourceSequence(int viewerSeq) {
    viewerSeq &= 0xffff;
    if (!started || ((lastSeq - viewerSeq) & 0xffff) >= 0x8000) {
      return -1;
    }
    if (sourceFirstSeqBounds && ((viewerSeq - sourceFirstSeq) & 0xffff) >= 0x8000) {
      return -1;
    }
    return (viewerSeq - seqOffset) & 0xffff;
  }

  /** The offset this stream adds to source RTP timestamps (for rewriting sender reports). */
  public long timestampOffset() {
    return tsOffset;
  }

  @Override
  public long sourceSsrc() {
    return sourceSsrc;
  }

  public boolean started() {
    return started;
  }

  public long packetsSent() {
    return packetsSent;
  }

  public long bytesSent() {
    return bytesSent;
  }
}
