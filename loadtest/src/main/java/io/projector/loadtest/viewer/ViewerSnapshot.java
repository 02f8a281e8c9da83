package io.projector.loadtest.viewer;

/**
 * One viewer's counters at one moment.
 *
 * @param expected video packets from the first received to the highest sequence number
 * @param received distinct video packets received, retransmissions that filled a gap included
 * @param lost packets that did not arrive within the loss timeout (1 s), even after NACKs
 * @param joinMs time from the start of the join (signalling) to the first video packet, or -1 if none yet
 */
public record ViewerSnapshot(int index, long expected, long received, long lost, long retransmissions, long bytes,
    long decryptFailures, long nacksSent, long joinMs) {
}
