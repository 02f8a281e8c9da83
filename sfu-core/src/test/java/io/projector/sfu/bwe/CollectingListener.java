package io.projector.sfu.bwe;

import java.util.ArrayList;
import java.util.List;

/** Records what the parser reports, for assertions. */
final class CollectingListener implements TransportCcParser.Listener {
  long senderSsrc = -1;
  long mediaSsrc = -1;
  int baseSeq = -1;
  int statusCount = -1;
  int referenceTime = -1;
  int feedbackCount = -1;
  int headers;
  final List<Integer> seqs = new ArrayList<>();
  final List<Boolean> received = new ArrayList<>();
  final List<Long> arrivalsUs = new ArrayList<>();

  @Override
  public void onFeedbackHeader(long senderSsrc, long mediaSsrc, int baseSeq, int statusCount, int referenceTime,
      int feedbackCount) {
    this.senderSsrc = senderSsrc;
    this.mediaSsrc = mediaSsrc;
    this.baseSeq = baseSeq;
    this.statusCount = statusCount;
    this.referenceTime = referenceTime;
    this.feedbackCount = feedbackCount;
    headers++;
  }

  @Override
  public void onPacketStatus(int transportSeq, boolean wasReceived, long arrivalUs) {
    seqs.add(transportSeq);
    received.add(wasReceived);
    arrivalsUs.add(arrivalUs);
  }

  int receivedCount() {
    return (int) received.stream().filter(r -> r).count();
  }
}
