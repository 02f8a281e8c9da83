package io.projector.sfu.sdp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects the lines of one m-section and folds them into a {@link MediaDescription}. rtpmap,
 * fmtp and rtcp-fb lines may come in any order, so codecs are only assembled in {@link #build}.
 */
final class MediaSectionParser {

    /** RFC 3551 static payload types, used when an m-line lists one without an rtpmap. */
    private static final Map<Integer, String> STATIC_PT = Map.of(0, "PCMU/8000", 3, "GSM/8000",
            4, "G723/8000", 8, "PCMA/8000", 9, "G722/8000", 13, "CN/8000", 18, "G729/8000",
            26, "JPEG/90000", 31, "H261/90000", 34, "H263/90000");

    private final int index;
    private final String media;
    private final int port;
    private final String protocol;
    private final List<String> formats;
    private final Map<Integer, String> rtpmap = new HashMap<>();
    private final Map<Integer, Map<String, String>> fmtp = new HashMap<>();
    private final Map<String, Set<String>> feedback = new HashMap<>(); // key: pt as text or "*"
    private final Map<Integer, HeaderExtension> extensions = new LinkedHashMap<>();
    private final Set<Long> ssrcs = new LinkedHashSet<>();
    private final List<SsrcGroup> ssrcGroups = new ArrayList<>();
    private final Set<String> rids = new LinkedHashSet<>();
    private final List<Candidate> candidates = new ArrayList<>();
    private String mid;
    private Direction direction;
    private String simulcast;
    private boolean rtcpMux;
    private boolean rtcpRsize;
    private String iceUfrag;
    private String icePwd;
    private String fingerprint;
    private String setup;
    private String msid;
    private String ssrcMsid;

    /** Parses "m=&lt;media&gt; &lt;port&gt;[/&lt;n&gt;] &lt;proto&gt; &lt;fmt&gt; ...". */
    MediaSectionParser(int index, SdpLine line) throws SdpException {
        this.index = index;
        String[] t = line.value().split(" +");
        if (t.length < 4) {
            throw line.error("bad m-line, expected 'm=<media> <port> <proto> <fmt list>'");
        }
        if (!t[0].matches("[a-z][a-z0-9-]{0,31}")) {
            throw line.error("bad media type in m-line");
        }
        media = t[0];
        String portText = t[1].contains("/") ? t[1].substring(0, t[1].indexOf('/')) : t[1];
        port = (int) line.number(portText, 0, 65535, "m-line port");
        if (!t[2].matches("[A-Za-z0-9/_.-]{1,64}")) {
            throw line.error("bad protocol in m-line");
        }
        protocol = t[2];
        formats = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 3; i < t.length; i++) {
            if (protocol.contains("RTP/")) {
                line.number(t[i], 0, 127, "payload type");
            } else if (!t[i].matches("\\p{Graph}{1,64}")) {
                throw line.error("bad format in m-line");
            }
            if (!seen.add(t[i])) {
                throw line.error("format " + t[i] + " listed twice");
            }
            formats.add(t[i]);
        }
    }

    void accept(SdpLine line) throws SdpException {
        if (line.type() != 'a') {
            return;
        }
        String name = line.attributeName();
        switch (name) {
            case "mid" -> {
                if (mid != null) {
                    throw line.error("second a=mid in m-section");
                }
                mid = SdpParser.token(line, SdpParser.required(line), "mid");
            }
            case "rtcp-mux" -> rtcpMux = true;
            case "rtcp-rsize" -> rtcpRsize = true;
            case "ice-ufrag" -> iceUfrag = SdpParser.required(line);
            case "ice-pwd" -> icePwd = SdpParser.required(line);
            case "fingerprint" -> fingerprint = fingerprint == null ? SdpParser.required(line) : fingerprint;
            case "setup" -> setup = SdpParser.required(line);
            case "candidate" -> candidates.add(line.candidate());
            case "rtpmap" -> rtpmap(line);
            case "fmtp" -> fmtp(line);
            case "rtcp-fb" -> rtcpFeedback(line);
            case "extmap" -> extmap(line);
            case "ssrc" -> ssrc(line);
            case "ssrc-group" -> ssrcGroup(line);
            case "rid" -> rid(line);
            case "simulcast" -> simulcast = SdpParser.required(line);
            case "msid" -> msid = SdpParser.required(line);
            default -> {
                Direction d = Direction.fromAttribute(name);
                if (d != null) {
                    direction = d;
                }
            }
        }
    }

    MediaDescription build(Direction sessionDirection) {
        Map<Integer, Integer> rtxByPrimary = new HashMap<>();
        List<Integer> primaries = new ArrayList<>();
        boolean rtp = protocol.contains("RTP/");
        for (String f : rtp ? formats : List.<String>of()) {
            int pt = Integer.parseInt(f);
            String map = rtpmap.getOrDefault(pt, STATIC_PT.get(pt));
            if (map == null) {
                continue; // dynamic payload type without rtpmap: unusable, not worth failing over
            }
            if (map.toLowerCase(java.util.Locale.ROOT).startsWith("rtx/")) {
                Integer apt = parseApt(fmtp.get(pt));
                if (apt != null) {
                    rtxByPrimary.putIfAbsent(apt, pt);
                }
            } else {
                primaries.add(pt);
            }
        }
        List<Codec> codecs = new ArrayList<>();
        for (int pt : primaries) {
            String[] m = rtpmap.getOrDefault(pt, STATIC_PT.get(pt)).split("/");
            Set<String> fb = new LinkedHashSet<>(feedback.getOrDefault(String.valueOf(pt), Set.of()));
            fb.addAll(feedback.getOrDefault("*", Set.of()));
            codecs.add(new Codec(pt, m[0], Integer.parseInt(m[1]), m.length > 2 ? Integer.parseInt(m[2]) : 1,
                    fmtp.getOrDefault(pt, Map.of()), new ArrayList<>(fb), rtxByPrimary.getOrDefault(pt, -1)));
        }
        Direction dir = direction != null ? direction : sessionDirection != null ? sessionDirection
                : Direction.SENDRECV;
        return new MediaDescription(index, MediaKind.fromMediaToken(media), mid, dir, protocol, codecs,
                new ArrayList<>(extensions.values()), new ArrayList<>(ssrcs), ssrcGroups, new ArrayList<>(rids),
                simulcast, rtcpMux, rtcpRsize, iceUfrag, icePwd, fingerprint, setup, candidates,
                msid != null ? msid : ssrcMsid, media, port, formats);
    }

    private static Integer parseApt(Map<String, String> params) {
        String apt = params == null ? null : params.get("apt");
        return apt != null && apt.matches("[0-9]{1,3}") ? Integer.valueOf(apt) : null;
    }

    /** "a=rtpmap:&lt;pt&gt; &lt;name&gt;/&lt;clock&gt;[/&lt;channels&gt;]", stored normalised. */
    private void rtpmap(SdpLine line) throws SdpException {
        String[] t = SdpParser.required(line).split("\\s+", 2);
        int pt = (int) line.number(t[0], 0, 127, "payload type");
        String[] enc = t.length == 2 ? t[1].strip().split("/") : new String[0];
        if (enc.length < 2 || enc.length > 3 || !enc[0].matches("[A-Za-z0-9._-]{1,32}")) {
            throw line.error("bad rtpmap, expected '<pt> <name>/<clock rate>[/<channels>]'");
        }
        long clock = line.number(enc[1], 1, 10_000_000, "clock rate");
        long channels = enc.length == 3 ? line.number(enc[2], 1, 255, "channel count") : 1;
        if (rtpmap.put(pt, enc[0] + "/" + clock + (enc.length == 3 ? "/" + channels : "")) != null) {
            throw line.error("second rtpmap for payload type " + pt);
        }
    }

    /** "a=fmtp:&lt;pt&gt; k=v;k2=v2"; a parameter without '=' (e.g. RED's "111/111") maps to "". */
    private void fmtp(SdpLine line) throws SdpException {
        String[] t = SdpParser.required(line).split("\\s+", 2);
        int pt = (int) line.number(t[0], 0, 127, "payload type");
        Map<String, String> params = new LinkedHashMap<>();
        for (String p : t.length == 2 ? t[1].split(";") : new String[0]) {
            String s = p.strip();
            if (s.isEmpty()) {
                continue;
            }
            int eq = s.indexOf('=');
            params.putIfAbsent(eq < 0 ? s : s.substring(0, eq).strip(), eq < 0 ? "" : s.substring(eq + 1).strip());
        }
        fmtp.putIfAbsent(pt, params);
    }

    /** "a=rtcp-fb:&lt;pt|*&gt; &lt;type&gt; [&lt;subtype&gt;]", stored with single spaces. */
    private void rtcpFeedback(SdpLine line) throws SdpException {
        String[] t = SdpParser.required(line).split("\\s+", 2);
        if (!t[0].equals("*")) {
            t[0] = String.valueOf(line.number(t[0], 0, 127, "payload type"));
        }
        if (t.length < 2) {
            throw line.error("bad rtcp-fb, expected '<pt> <feedback>'");
        }
        feedback.computeIfAbsent(t[0], k -> new LinkedHashSet<>()).add(t[1].strip().replaceAll("\\s+", " "));
    }

    /** "a=extmap:&lt;id&gt;[/&lt;direction&gt;] &lt;uri&gt; [attributes]" (RFC 8285). */
    private void extmap(SdpLine line) throws SdpException {
        String[] t = SdpParser.required(line).split("\\s+");
        String[] idDir = t[0].split("/", -1);
        int id = (int) line.number(idDir[0], 1, 255, "extmap id");
        if (idDir.length > 2 || (idDir.length == 2 && Direction.fromAttribute(idDir[1]) == null)) {
            throw line.error("bad extmap direction");
        }
        if (t.length < 2 || !t[1].matches("\\p{Graph}{1,256}")) {
            throw line.error("bad extmap, expected '<id>[/<direction>] <uri>'");
        }
        if (extensions.containsKey(id) && !extensions.get(id).uri().equals(t[1])) {
            throw line.error("extmap id " + id + " mapped twice");
        }
        extensions.putIfAbsent(id, new HeaderExtension(id, t[1],
                idDir.length == 2 ? Direction.fromAttribute(idDir[1]) : null));
    }

    /** "a=ssrc:&lt;ssrc&gt; &lt;attribute&gt;[:&lt;value&gt;]". */
    private void ssrc(SdpLine line) throws SdpException {
        String[] t = SdpParser.required(line).split("\\s+", 2);
        ssrcs.add(line.number(t[0], 0, 0xFFFF_FFFFL, "ssrc"));
        if (ssrcMsid == null && t.length == 2 && t[1].startsWith("msid:")) {
            ssrcMsid = t[1].substring("msid:".length()).strip();
        }
    }

    private void ssrcGroup(SdpLine line) throws SdpException {
        String[] t = SdpParser.required(line).split("\\s+");
        List<Long> group = new ArrayList<>();
        for (int i = 1; i < t.length; i++) {
            group.add(line.number(t[i], 0, 0xFFFF_FFFFL, "ssrc"));
        }
        if (group.isEmpty()) {
            throw line.error("ssrc-group without ssrcs");
        }
        ssrcGroups.add(new SsrcGroup(SdpParser.token(line, t[0], "ssrc-group semantics"), group));
    }

    /** "a=rid:&lt;id&gt; send|recv [restrictions]" (RFC 8851); only send rids matter to the SFU. */
    private void rid(SdpLine line) throws SdpException {
        String[] t = SdpParser.required(line).split("\\s+");
        if (!t[0].matches("[A-Za-z0-9_-]{1,32}")) {
            throw line.error("bad rid id (1..32 of A-Z a-z 0-9 - _)");
        }
        if (t.length < 2 || !(t[1].equals("send") || t[1].equals("recv"))) {
            throw line.error("bad rid direction, expected send or recv");
        }
        if (t[1].equals("send") && !rids.add(t[0])) {
            throw line.error("rid " + t[0] + " declared twice");
        }
    }
}
