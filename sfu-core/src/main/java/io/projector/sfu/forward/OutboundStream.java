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
public final class OutboundStream {
  /** Timestamp step assumed between the last packet of an old source and the first of a new one (~1 frame). */
  private static final long SOURCE_SWITCH_TIMESTAMP_STEP = 3000;

  private final long ssrc;
  private final boolean video;
  private final byte[] payloadTypeMap = new byte[128];
  private HeaderExtensionMap extensionMap = new HeaderExtensionMap();

  private long sourceSsrc = -1;
  private boolean started;
  private boolean awaitingSourceSwitch;
  private int seqOffset;
  private long tsOffset;
  private int lastSeq;
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

  /** Whether this viewer can receive the source's payload type at all. */
  public boolean accepts(int sourcePayloadType) {
    return payloadTypeMap[sourcePayloadType & 0x7f] >= 0;
  }

  /** Whether the stream still waits for its first keyframe. */
  public boolean awaitingKeyframe() {
    return video && (!started || awaitingSourceSwitch);
  }

  /**
   * Decides whether the packet (a private copy, already decrypted) goes to this viewer, and if so rewrites
   * it in place. Call only when {@link #accepts} is true.
   *
   * @param keyframeStart whether the packet starts a keyframe (video)
   * @return false when the packet must not be sent (waiting for a keyframe, or malformed extensions)
   */
  public boolean rewrite(byte[] buf, int off, int len, boolean keyframeStart) {
    long srcSsrc = RtpHeader.ssrc(buf, off);
    int seq = RtpHeader.sequenceNumber(buf, off);
    long ts = RtpHeader.timestamp(buf, off);
    if (srcSsrc != sourceSsrc) {
      if (video && !keyframeStart) {
        awaitingSourceSwitch = started;
        return false; // a new source can only be joined at a keyframe
      }
      awaitingSourceSwitch = false;
      rebase(srcSsrc, seq, ts);
    }
    if (!extensionMap.rewrite(buf, off, len)) {
      return false;
    }
    int outSeq = (seq + seqOffset) & 0xffff;
    long outTs = (ts + tsOffset) & 0xffffffffL;
    RtpHeader.setSequenceNumber(buf, off, outSeq);
    RtpHeader.setTimestamp(buf, off, outTs);
    RtpHeader.setSsrc(buf, off, ssrc);
    RtpHeader.setPayloadType(buf, off, payloadTypeMap[RtpHeader.payloadType(buf, off)]);
    if (((outSeq - lastSeq) & 0xffff) < 0x8000 || !started) {
      lastSeq = outSeq;
      lastTs = outTs;
    }
    started = true;
    packetsSent++;
    bytesSent += len;
    return true;
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
  }

  /** The offset this stream adds to source RTP timestamps (for rewriting sender reports). */
  public long timestampOffset() {
    return tsOffset;
  }

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
