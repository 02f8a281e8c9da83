package io.projector.sfu.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One RTP payload format of an m-line: rtpmap + fmtp + rtcp-fb, with its RTX payload type folded in
 * (an "rtx" rtpmap is never a codec of its own; see {@link #rtxPayloadType()}).
 *
 * @param payloadType    0..127
 * @param name           encoding name as written, e.g. "VP8", "opus"
 * @param clockRate      RTP clock rate in Hz
 * @param channels       audio channels; 1 when the rtpmap has none
 * @param fmtp           format parameters in the order written; a parameter without "=" maps to ""
 * @param rtcpFeedback   rtcp-fb values, e.g. "nack", "nack pli", "transport-cc"
 * @param rtxPayloadType payload type of the RTX stream for this codec (RFC 4588), -1 when none
 */
public record Codec(int payloadType, String name, int clockRate, int channels, Map<String, String> fmtp,
                    List<String> rtcpFeedback, int rtxPayloadType) {

    public Codec {
        Objects.requireNonNull(name, "name");
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type out of range 0..127: " + payloadType);
        }
        if (rtxPayloadType < -1 || rtxPayloadType > 127) {
            throw new IllegalArgumentException("rtx payload type out of range: " + rtxPayloadType);
        }
        if (clockRate <= 0 || channels <= 0) {
            throw new IllegalArgumentException("clock rate and channels must be positive");
        }
        // Keep insertion order (fmtp is echoed back verbatim) while staying immutable.
        fmtp = Collections.unmodifiableMap(new LinkedHashMap<>(fmtp));
        rtcpFeedback = List.copyOf(rtcpFeedback);
    }

    /**
     * Whether both describe the same media format, so that RTP of one can be forwarded as the other
     * after rewriting the payload type. For H264 the packetization mode and the profile_idc must
     * match too (level and level-asymmetry-allowed do not matter to a forwarder).
     */
    public boolean sameCodecAs(Codec other) {
        if (other == null || !name.equalsIgnoreCase(other.name) || clockRate != other.clockRate
                || channels != other.channels) {
            return false;
        }
        if (isH264()) {
            return packetizationMode() == other.packetizationMode()
                    && profileIdc().equals(other.profileIdc());
        }
        return true;
    }

    public boolean isH264() {
        return name.equalsIgnoreCase("H264");
    }

    public boolean hasRtx() {
        return rtxPayloadType >= 0;
    }

    /** H264 packetization-mode; RFC 6184 makes 0 the default when absent. */
    public int packetizationMode() {
        String v = fmtp.get("packetization-mode");
        return v == null ? 0 : parseOr(v, -1);
    }

    /** H264 profile-level-id in lower case; RFC 6184 default (Baseline, level 1) when absent. */
    public String profileLevelId() {
        String v = fmtp.get("profile-level-id");
        return v == null ? "42000a" : v.toLowerCase(Locale.ROOT);
    }

    private String profileIdc() {
        String id = profileLevelId();
        return id.length() >= 2 ? id.substring(0, 2) : id;
    }

    /** The fmtp value as written in SDP ("k=v;k2=v2"), or null when there are no parameters. */
    public String fmtpValue() {
        if (fmtp.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : fmtp.entrySet()) {
            if (sb.length() > 0) {
                sb.append(';');
            }
            sb.append(e.getKey());
            if (!e.getValue().isEmpty()) {
                sb.append('=').append(e.getValue());
            }
        }
        return sb.toString();
    }

    /** The rtpmap value after the payload type, e.g. "opus/48000/2". */
    public String rtpmapValue() {
        return name + "/" + clockRate + (channels > 1 ? "/" + channels : "");
    }

    /** A copy carrying only the given rtcp-fb values (used when answering). */
    public Codec withRtcpFeedback(List<String> feedback) {
        return new Codec(payloadType, name, clockRate, channels, fmtp, feedback, rtxPayloadType);
    }

    private static int parseOr(String s, int fallback) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
