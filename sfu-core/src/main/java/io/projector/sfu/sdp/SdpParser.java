package io.projector.sfu.sdp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses offers (RFC 8866 syntax, JSEP/WebRTC semantics) into a {@link SessionDescription}.
 *
 * <p>Structure is checked strictly, since a body that is not SDP should fail fast with a line
 * number; attributes the SFU has no use for are ignored so that new browser features do not break
 * signalling. Hard limits bound the work any single HTTP body can cause.
 */
public final class SdpParser {

    public static final int MAX_BYTES = 64 * 1024;
    public static final int MAX_LINES = 10_000;
    public static final int MAX_MEDIA = 32;

    private SdpParser() {
    }

    public static SessionDescription parse(String sdp) throws SdpException {
        List<SdpLine> lines = SdpLine.split(sdp, MAX_BYTES, MAX_LINES, "SDP");
        SdpLine first = lines.get(0);
        if (first.type() != 'v' || !first.value().equals("0")) {
            throw first.error("SDP must start with v=0");
        }
        Session session = new Session();
        List<MediaSectionParser> sections = new ArrayList<>();
        MediaSectionParser current = null;
        for (SdpLine line : lines.subList(1, lines.size())) {
            if (line.type() == 'v') {
                throw line.error("second v= line");
            } else if (line.type() == 'm') {
                if (sections.size() == MAX_MEDIA) {
                    throw line.error("more than " + MAX_MEDIA + " m-lines");
                }
                current = new MediaSectionParser(sections.size(), line);
                sections.add(current);
            } else if (current == null) {
                session.accept(line);
            } else {
                current.accept(line);
            }
        }
        List<MediaDescription> media = new ArrayList<>(sections.size());
        Set<String> mids = new HashSet<>();
        for (MediaSectionParser section : sections) {
            MediaDescription m = section.build(session.direction);
            if (m.mid() != null && !mids.add(m.mid())) {
                throw new SdpException("m-line " + m.index() + " (" + m.media() + "): duplicate mid "
                        + SdpLine.excerpt(m.mid()));
            }
            media.add(m);
        }
        return new SessionDescription(session.iceUfrag, session.icePwd, session.fingerprint, session.setup,
                session.bundleMids == null ? List.of() : session.bundleMids, session.iceLite, media);
    }

    /** Checks an identification-tag (mid) or similar token: visible ASCII, bounded length. */
    static String token(SdpLine line, String value, String what) throws SdpException {
        if (value == null || !value.matches("\\p{Graph}{1,64}")) {
            throw line.error("bad " + what);
        }
        return value;
    }

    /** The value of a "a=name:value" attribute that must have one. */
    static String required(SdpLine line) throws SdpException {
        String v = line.attributeValue();
        if (v == null || v.isBlank()) {
            throw line.error("a=" + line.attributeName() + " needs a value");
        }
        return v.strip();
    }

    /** Session-level state; only what answering needs is kept. */
    private static final class Session {
        String iceUfrag;
        String icePwd;
        String fingerprint;
        String setup;
        List<String> bundleMids;
        boolean iceLite;
        Direction direction;

        void accept(SdpLine line) throws SdpException {
            if (line.type() != 'a') {
                return; // o=, s=, t=, c=, b= ... carry nothing the SFU needs
            }
            String name = line.attributeName();
            switch (name) {
                case "group" -> {
                    String[] parts = required(line).split("\\s+");
                    // Only the first BUNDLE group matters: the SFU uses a single transport.
                    if (parts[0].equalsIgnoreCase("BUNDLE") && bundleMids == null) {
                        List<String> mids = new ArrayList<>();
                        for (String mid : Arrays.asList(parts).subList(1, parts.length)) {
                            mids.add(token(line, mid, "mid in BUNDLE group"));
                        }
                        bundleMids = mids;
                    }
                }
                case "ice-ufrag" -> iceUfrag = required(line);
                case "ice-pwd" -> icePwd = required(line);
                case "fingerprint" -> fingerprint = fingerprint == null ? required(line) : fingerprint;
                case "setup" -> setup = required(line);
                case "ice-lite" -> iceLite = true;
                default -> {
                    Direction d = Direction.fromAttribute(name);
                    if (d != null) {
                        direction = d;
                    }
                }
            }
        }
    }
}
