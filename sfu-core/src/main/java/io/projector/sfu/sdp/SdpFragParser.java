package io.projector.sfu.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses RFC 8840 trickle-ICE SDP fragments as sent by WHIP/WHEP clients in PATCH requests.
 * Everything is BUNDLEd, so the m-line/mid a candidate is listed under does not matter and
 * candidates of all sections are returned together.
 */
public final class SdpFragParser {

    public static final int MAX_BYTES = 16 * 1024;
    public static final int MAX_CANDIDATES = 200;
    private static final int MAX_LINES = 1_000;

    private SdpFragParser() {
    }

    public static IceFragment parse(String body) throws SdpException {
        List<SdpLine> lines = SdpLine.split(body, MAX_BYTES, MAX_LINES, "trickle-ice-sdpfrag");
        String ufrag = null;
        String pwd = null;
        boolean end = false;
        List<Candidate> candidates = new ArrayList<>();
        for (SdpLine line : lines) {
            if (line.type() != 'a') {
                continue; // m=, c= ... only structure the fragment; nothing to keep
            }
            switch (line.attributeName()) {
                case "ice-ufrag" -> ufrag = same(line, ufrag, "ice-ufrag");
                case "ice-pwd" -> pwd = same(line, pwd, "ice-pwd");
                case "end-of-candidates" -> end = true;
                case "candidate" -> {
                    if (candidates.size() == MAX_CANDIDATES) {
                        throw line.error("more than " + MAX_CANDIDATES + " candidates");
                    }
                    candidates.add(line.candidate());
                }
                default -> {
                    // ice-options, group, mid, ... are legal in a fragment but carry nothing needed
                }
            }
        }
        return new IceFragment(ufrag, pwd, candidates, end);
    }

    /** Sections may repeat the credentials; with BUNDLE they must all be the same. */
    private static String same(SdpLine line, String previous, String what) throws SdpException {
        String value = SdpParser.required(line);
        if (previous != null && !previous.equals(value)) {
            throw line.error("conflicting a=" + what + " values in one fragment");
        }
        return value;
    }
}
