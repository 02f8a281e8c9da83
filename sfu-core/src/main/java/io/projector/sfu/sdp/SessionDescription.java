package io.projector.sfu.sdp;

import java.util.List;
import java.util.function.Function;

/**
 * A parsed session description.
 *
 * @param iceUfrag    session-level a=ice-ufrag, or null (likewise icePwd, fingerprint, setup)
 * @param bundleMids  mids of the first a=group:BUNDLE line, in order; empty when there is none
 */
public record SessionDescription(String iceUfrag, String icePwd, String fingerprint, String setup,
                                 List<String> bundleMids, boolean iceLite, List<MediaDescription> media) {

    public SessionDescription {
        bundleMids = List.copyOf(bundleMids);
        media = List.copyOf(media);
    }

    /**
     * ICE ufrag of the transport: media level of the BUNDLE tag (the m-line of the first bundled
     * mid, or the first m-line without BUNDLE), then session level, then any m-line.
     */
    public String effectiveIceUfrag() {
        return effective(MediaDescription::iceUfrag, iceUfrag);
    }

    public String effectiveIcePwd() {
        return effective(MediaDescription::icePwd, icePwd);
    }

    public String effectiveFingerprint() {
        return effective(MediaDescription::fingerprint, fingerprint);
    }

    public String effectiveSetup() {
        return effective(MediaDescription::setup, setup);
    }

    /** The m-section with this mid, or null. */
    public MediaDescription mediaByMid(String mid) {
        for (MediaDescription m : media) {
            if (m.mid() != null && m.mid().equals(mid)) {
                return m;
            }
        }
        return null;
    }

    /** Whether the m-section is part of the BUNDLE group. */
    public boolean isBundled(MediaDescription m) {
        return m.mid() != null && bundleMids.contains(m.mid());
    }

    private String effective(Function<MediaDescription, String> field, String sessionValue) {
        MediaDescription tag = bundleMids.isEmpty() ? (media.isEmpty() ? null : media.get(0))
                : mediaByMid(bundleMids.get(0));
        if (tag != null && field.apply(tag) != null) {
            return field.apply(tag);
        }
        if (sessionValue != null) {
            return sessionValue;
        }
        // Last resort for writers that only put transport attributes on a later section.
        for (MediaDescription m : media) {
            if (field.apply(m) != null) {
                return field.apply(m);
            }
        }
        return null;
    }
}
