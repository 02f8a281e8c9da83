package io.projector.loadtest.viewer;

import io.projector.loadtest.measure.DelayHistogram;
import io.projector.loadtest.measure.SendStamp;
import io.projector.loadtest.measure.SequenceTracker;
import io.projector.loadtest.peer.PeerConnection;
import io.projector.sfu.rtcp.Nack;
import io.projector.sfu.rtcp.RtcpHeader;
import io.projector.sfu.rtcp.RtcpWriter;
import io.projector.sfu.rtp.Bytes;
import io.projector.sfu.rtp.RtpHeader;
import io.projector.sfu.rtp.Rtx;
import io.projector.sfu.srtp.SrtpEncoder;
import java.util.BitSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One synthetic viewer's media logic, as a browser's receiver runs it: sequence continuity of the video
 * stream (RTP headers are in the clear, so every viewer checks every packet), a NACK as soon as a gap appears
 * and again after {@value #NACK_RETRY_MS} ms (at most {@value #MAX_NACKS} times), a PLI when a loss is final,
 * and a receiver report every second. A sampled viewer also decrypts every packet and records the one-way
 * delay from the presenter's {@link SendStamp}; retransmissions are always decrypted (their original sequence
 * number is inside the encrypted payload).
 *
 * <p>Packets arrive on the network loop thread and {@link #tick} runs on a timer thread; both lock the viewer.
 */
public final class SyntheticViewer implements PeerConnection.Media {
  static final long NACK_RETRY_MS = 40;
  static final int MAX_NACKS = 10;
  static final long LOSS_TIMEOUT_MS = 1000;
  static final long REPORT_INTERVAL_MS = 1000;
  static final long PLI_MIN_INTERVAL_MS = 500;

  private final int index;
  private final boolean decryptAll;
  private final DelayHistogram delays;
  private final BitSet presenterPackets; // null unless every presenter packet index is tracked
  private final long ownSsrc = ThreadLocalRandom.current().nextInt() & 0xffffffffL;
  private final SequenceTracker video = new SequenceTracker();
  private final int[] nackScratch = new int[Nack.SEQUENCES_PER_FCI * 16];
  private final byte[] rtcpScratch = new byte[Nack.MAX_LENGTH + SrtpEncoder.MAX_OVERHEAD];
  private final long joinStartNs;
  private int rtxPayloadType;
  private long videoSsrc = -1;
  private PeerConnection connection;
  private long firstPacketNs;
  private long bytes;
  private long retransmissions;
  private long decryptFailures;
  private long lastReportNs;
  private long lastPliNs;
  private long lostAtLastPli;
  private long expectedAtLastReport;
  private long receivedAtLastReport;
  private long nacksSent;
  private long lastSrNtpMiddle;
  private long lastSrNs;
  private int lastStampedSeq = -1; // RTX carries no stamp: its presenter index follows from the last stamp
  private long lastStampedIndex;

  /**
   * @param presenterPackets when not null, the presenter's packet index of every decrypted packet is set in it
   *     (the integration test's "every viewer got every packet"); needs {@code decryptAll}
   */
  public SyntheticViewer(int index, boolean decryptAll, DelayHistogram delays, BitSet presenterPackets,
      long joinStartNs) {
    this.index = index;
    this.decryptAll = decryptAll;
    this.delays = delays;
    this.presenterPackets = presenterPackets;
    this.joinStartNs = joinStartNs;
  }

  /** Called once the transport exists, before media can arrive. */
  public synchronized void attach(PeerConnection connection, int rtxPayloadType) {
    this.connection = connection;
    this.rtxPayloadType = rtxPayloadType;
  }

  @Override
  public synchronized void onSrtp(PeerConnection from, byte[] buf, int length, boolean rtcp, long nowNs) {
    if (rtcp) {
      onRtcp(from, buf, length, nowNs);
      return;
    }
    if (length < RtpHeader.FIXED_HEADER_LENGTH || (buf[0] & 0xc0) != 0x80) {
      return; // not RtpHeader.isValid: encrypted, the last byte is the auth tag's, not the padding count
    }
    boolean isRtx = RtpHeader.payloadType(buf, 0) == rtxPayloadType;
    if (isRtx) {
      int n = from.decoder().unprotectRtp(buf, 0, length);
      int osn = n < 0 ? -1 : Rtx.originalSequenceNumber(buf, 0, n);
      if (n < 0) {
        decryptFailures++;
      } else if (osn >= 0 && video.onPacket(osn, nowNs)) {
        retransmissions++;
        if (presenterPackets != null && lastStampedSeq >= 0) {
          presenterPackets.set((int) (lastStampedIndex + (short) (osn - lastStampedSeq)));
        }
      }
      return;
    }
    if (firstPacketNs == 0) {
      firstPacketNs = nowNs;
      videoSsrc = RtpHeader.ssrc(buf, 0);
      lastReportNs = nowNs;
    }
    bytes += length;
    long missingBefore = video.missingNow();
    video.onPacket(RtpHeader.sequenceNumber(buf, 0), nowNs);
    if (decryptAll) {
      int n = from.decoder().unprotectRtp(buf, 0, length);
      if (n < 0) {
        decryptFailures++;
      } else if (SendStamp.isPresent(buf, 0, n)) {
        delays.record((nowNs - SendStamp.sendNanos(buf, 0, n)) / 1000);
        if (presenterPackets != null) {
          lastStampedIndex = SendStamp.packetIndex(buf, 0, n);
          lastStampedSeq = RtpHeader.sequenceNumber(buf, 0);
          presenterPackets.set((int) lastStampedIndex);
        }
      }
    }
    if (video.missingNow() > missingBefore) {
      sendNacks(nowNs); // a browser NACKs as soon as it sees the gap
    }
  }

  /**
   * Remembers the server's last sender report, echoed in our receiver reports (LSR/DLSR) as browsers do, so
   * the server can compute the round-trip time (Janus sizes its retransmission buffer from it).
   */
  private void onRtcp(PeerConnection from, byte[] buf, int length, long nowNs) {
    int n = from.decoder().unprotectRtcp(buf, 0, length);
    for (int pos = 0; n > 0 && pos + 4 <= n; ) {
      int packetLength = RtcpHeader.packetLength(buf, pos, n);
      if (packetLength <= 0) {
        return;
      }
      if (RtcpHeader.packetType(buf, pos) == RtcpHeader.SR && packetLength >= 28) {
        lastSrNtpMiddle = Bytes.readUint32(buf, pos + 10);
        lastSrNs = nowNs;
      }
      pos += packetLength;
    }
  }

  /** Periodic work (every ~20 ms): NACK retries, final losses (→ PLI), receiver reports. */
  public synchronized void tick(long nowNs) {
    if (firstPacketNs == 0) {
      return;
    }
    sendNacks(nowNs);
    video.expire(nowNs, LOSS_TIMEOUT_MS * 1_000_000);
    if (video.lost() > lostAtLastPli && nowNs - lastPliNs >= PLI_MIN_INTERVAL_MS * 1_000_000) {
      lostAtLastPli = video.lost();
      lastPliNs = nowNs;
      int n = RtcpWriter.writePli(rtcpScratch, 0, ownSsrc, videoSsrc);
      connection.protectAndSend(rtcpScratch, n, true);
    }
    if (nowNs - lastReportNs >= REPORT_INTERVAL_MS * 1_000_000) {
      lastReportNs = nowNs;
      sendReceiverReport();
    }
  }

  private void sendNacks(long nowNs) {
    int count = video.collectNacks(nowNs, NACK_RETRY_MS * 1_000_000, MAX_NACKS, nackScratch);
    for (int done = 0; done < count; ) {
      int chunk = Math.min(count - done, Nack.SEQUENCES_PER_FCI * 8);
      int[] seqs = done == 0 && chunk == count ? nackScratch : java.util.Arrays.copyOfRange(nackScratch, done, done + chunk);
      int n = Nack.write(rtcpScratch, 0, ownSsrc, videoSsrc, seqs, chunk);
      if (n > 0 && connection.protectAndSend(rtcpScratch, n, true)) {
        nacksSent++;
      }
      done += chunk;
    }
  }

  private void sendReceiverReport() {
    long expected = video.expected();
    long receivedNow = video.received();
    long expectedInterval = expected - expectedAtLastReport;
    long lostInterval = expectedInterval - (receivedNow - receivedAtLastReport);
    int fraction = expectedInterval <= 0 || lostInterval <= 0 ? 0 : (int) Math.min(255, (lostInterval << 8) / expectedInterval);
    expectedAtLastReport = expected;
    receivedAtLastReport = receivedNow;
    int pos = RtcpWriter.writeReceiverReportHeader(rtcpScratch, 0, ownSsrc, 1);
    long delaySinceSr = lastSrNs == 0 ? 0 : (System.nanoTime() - lastSrNs) * 65536 / 1_000_000_000L;
    pos += RtcpWriter.writeReportBlock(rtcpScratch, pos, videoSsrc, fraction,
        (int) Math.max(0, expected - receivedNow), video.highest() & 0xffffffffL, 0, lastSrNtpMiddle, delaySinceSr);
    connection.protectAndSend(rtcpScratch, pos, true);
  }

  /** Ends the measurement: every gap still open counts as lost. */
  public synchronized void finish() {
    video.finish();
  }

  /** A copy of the presenter packet indices received (empty unless they are tracked). */
  public synchronized BitSet presenterPackets() {
    return presenterPackets == null ? new BitSet() : (BitSet) presenterPackets.clone();
  }

  /** A consistent copy of this viewer's counters. */
  public synchronized ViewerSnapshot snapshot() {
    return new ViewerSnapshot(index, video.expected(), video.received(), video.lost(), retransmissions, bytes,
        decryptFailures, nacksSent, firstPacketNs == 0 ? -1 : (firstPacketNs - joinStartNs) / 1_000_000);
  }
}
