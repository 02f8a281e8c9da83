package io.projector.sfu.sdp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Picks the codecs the SFU answers with. The SFU never transcodes, so a presenter is held to one
 * video codec that every viewer can decode (VP8, else the most widely decodable H264), while a
 * viewer may list all it can decode so that any presenter's codec can be forwarded.
 */
final class CodecSelector {

    static final String SUPPORTED_VIDEO = "VP8, H264 (packetization-mode=1)";
    static final String SUPPORTED_AUDIO = "opus/48000/2";

    /** rtcp-fb values the SFU handles per kind; anything else the offer lists is dropped. */
    private static final Set<String> VIDEO_FEEDBACK = Set.of("nack", "nack pli", "ccm fir", "goog-remb", "transport-cc");
    private static final Set<String> AUDIO_FEEDBACK = Set.of("transport-cc");
    /** Payload formats that are not media codecs; left out of "offered" lists in error messages. */
    private static final Set<String> NOT_CODECS = Set.of("rtx", "red", "ulpfec", "flexfec-03", "cn", "telephone-event");

    private CodecSelector() {
    }

    /** The accepted codecs, best first, with rtcp-fb filtered; empty when nothing is supported. */
    static List<Codec> select(MediaDescription m, PeerRole role) {
        List<Codec> chosen = new ArrayList<>();
        if (m.kind() == MediaKind.AUDIO) {
            m.codecs().stream().filter(CodecSelector::isOpus).findFirst().ifPresent(chosen::add);
        } else if (m.kind() == MediaKind.VIDEO) {
            List<Codec> vp8 = m.codecs().stream().filter(c -> is(c, "VP8", 90000)).toList();
            List<Codec> h264 = m.codecs().stream()
                    .filter(c -> is(c, "H264", 90000) && c.packetizationMode() == 1).toList();
            if (role == PeerRole.VIEWER) {
                chosen.addAll(vp8);
                chosen.addAll(h264);
            } else if (!vp8.isEmpty()) {
                chosen.add(vp8.get(0));
            } else {
                // Stable sort keeps offer order within a preference class.
                h264.stream().min(Comparator.comparingInt(CodecSelector::h264Rank)).ifPresent(chosen::add);
            }
        }
        Set<String> allowed = m.kind() == MediaKind.AUDIO ? AUDIO_FEEDBACK : VIDEO_FEEDBACK;
        return chosen.stream().map(c -> c.withRtcpFeedback(c.rtcpFeedback().stream()
                .filter(fb -> allowed.contains(fb.toLowerCase(Locale.ROOT))).toList())).toList();
    }

    /**
     * Constrained Baseline 3.1 (42e01f) decodes everywhere, including hardware decoders; other
     * Baseline variants next, then whatever else is left.
     */
    private static int h264Rank(Codec c) {
        String id = c.profileLevelId();
        return id.equals("42e01f") ? 0 : id.startsWith("42") ? 1 : 2;
    }

    private static boolean isOpus(Codec c) {
        return is(c, "opus", 48000) && c.channels() == 2;
    }

    private static boolean is(Codec c, String name, int clockRate) {
        return c.name().equalsIgnoreCase(name) && c.clockRate() == clockRate;
    }

    /** "no supported video codec: offered AV1, VP9; supported VP8, H264 (packetization-mode=1)". */
    static String noCodecReason(MediaDescription m) {
        Set<String> offered = new LinkedHashSet<>();
        for (Codec c : m.codecs()) {
            if (!NOT_CODECS.contains(c.name().toLowerCase(Locale.ROOT))) {
                offered.add(c.isH264() ? "H264 (packetization-mode=" + c.packetizationMode() + ")"
                        : c.name() + (m.kind() == MediaKind.AUDIO ? "/" + c.clockRate() + "/" + c.channels() : ""));
            }
        }
        String kind = m.kind().token();
        return "no supported " + kind + " codec: offered " + (offered.isEmpty() ? "none" : String.join(", ", offered))
                + "; supported " + (m.kind() == MediaKind.AUDIO ? SUPPORTED_AUDIO : SUPPORTED_VIDEO);
    }
}
