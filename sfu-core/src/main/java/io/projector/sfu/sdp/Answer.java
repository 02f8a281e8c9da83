package io.projector.sfu.sdp;

import java.util.List;
import java.util.Objects;

/**
 * An SDP answer and the model it was written from.
 *
 * @param sdp   the answer text, CRLF line endings
 * @param media one entry per m-line of the offer, in offer order
 */
public record Answer(String sdp, List<NegotiatedMedia> media) {
    public Answer {
        Objects.requireNonNull(sdp, "sdp");
        media = List.copyOf(media);
    }
}
