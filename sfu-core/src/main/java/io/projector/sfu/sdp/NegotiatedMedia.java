package io.projector.sfu.sdp;

import java.util.List;
import java.util.Objects;

/**
 * The negotiated result for one m-line of the offer, in offer order.
 *
 * @param accepted       false when answered with port 0; an m-line answered {@code a=inactive}
 *                       is accepted (it is part of the BUNDLE) but carries no media
 * @param localDirection direction written in the answer, from the SFU's point of view
 * @param codecs         accepted codecs with the OFFER's payload types, in preference order,
 *                       carrying only the rtcp-fb values the answer kept
 * @param extensions     accepted header extensions with the OFFER's ids
 * @param remoteSsrcs    a=ssrc values the remote peer announced for this m-line
 * @param localSsrc      SSRC the SFU sends with (viewers), 0 when none
 * @param rids           simulcast rids the SFU receives (presenters), in offer order
 */
public record NegotiatedMedia(int index, MediaKind kind, String mid, boolean accepted, Direction localDirection,
                              List<Codec> codecs, List<HeaderExtension> extensions, List<Long> remoteSsrcs,
                              long localSsrc, List<String> rids) {

    public NegotiatedMedia {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(localDirection, "localDirection");
        codecs = List.copyOf(codecs);
        extensions = List.copyOf(extensions);
        remoteSsrcs = List.copyOf(remoteSsrcs);
        rids = List.copyOf(rids);
    }

    /** The header extension id the peer uses for this URI, or -1 when it was not negotiated. */
    public int extensionId(String uri) {
        for (HeaderExtension e : extensions) {
            if (e.uri().equals(uri)) {
                return e.id();
            }
        }
        return -1;
    }
}
