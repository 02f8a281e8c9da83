package io.projector.sfu.sdp;

import java.util.Locale;

/**
 * The media type of an m-line.
 *
 * <p>{@link #APPLICATION} also stands for every media type other than audio and video (e.g. "text",
 * "message"): the SFU rejects all of them alike, and {@link MediaDescription#media()} keeps the
 * original token so that the answer can echo it. No extra constant exists so that exhaustive
 * switches elsewhere keep compiling.
 */
public enum MediaKind {
    AUDIO,
    VIDEO,
    APPLICATION;

    /** Maps an m-line media token; unknown tokens become {@link #APPLICATION}. */
    public static MediaKind fromMediaToken(String media) {
        return switch (media.toLowerCase(Locale.ROOT)) {
            case "audio" -> AUDIO;
            case "video" -> VIDEO;
            default -> APPLICATION;
        };
    }

    /** The SDP media token, e.g. "video". */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }
}
