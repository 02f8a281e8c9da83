package io.projector.sfu.sdp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One "x=value" line of an SDP text, with its 1-based line number so that every error can point
 * at the offending line. Also home of the shared splitting and size-limit code of both parsers.
 */
record SdpLine(int number, char type, String value) {

    private static final int EXCERPT_MAX = 80;

    /** Attribute name of an "a=" line, i.e. the part before the first ':'. */
    String attributeName() {
        int colon = value.indexOf(':');
        return colon < 0 ? value : value.substring(0, colon);
    }

    /** Attribute value of an "a=" line (after the first ':'), or null for a flag attribute. */
    String attributeValue() {
        int colon = value.indexOf(':');
        return colon < 0 ? null : value.substring(colon + 1);
    }

    String text() {
        return type + "=" + value;
    }

    SdpException error(String reason) {
        return new SdpException("line " + number + ": " + reason + " (\"" + excerpt(text()) + "\")");
    }

    /**
     * Splits a description into lines, enforcing the size limits before any further work so that
     * a hostile body costs as little as possible. Accepts CRLF and bare LF endings; trailing blank
     * lines are tolerated (many clients end with an extra newline) but blank lines inside are not.
     */
    static List<SdpLine> split(String text, int maxBytes, int maxLines, String what) throws SdpException {
        if (text == null || text.isBlank()) {
            throw new SdpException(what + " is empty");
        }
        // Cheap upper bound first: a UTF-8 byte count is only computed when it could matter.
        if (text.length() > maxBytes || text.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            throw new SdpException(what + " is larger than " + (maxBytes / 1024) + " KiB");
        }
        String[] raw = text.split("\n", -1);
        int last = raw.length;
        while (last > 0 && raw[last - 1].strip().isEmpty()) {
            last--;
        }
        if (last > maxLines) {
            throw new SdpException(what + " has more than " + maxLines + " lines");
        }
        List<SdpLine> lines = new ArrayList<>(last);
        for (int i = 0; i < last; i++) {
            String l = raw[i].stripTrailing(); // also removes the '\r' of CRLF
            int number = i + 1;
            if (l.length() < 2 || l.charAt(1) != '=' || l.charAt(0) < 'a' || l.charAt(0) > 'z') {
                throw new SdpException("line " + number + ": expected '<letter>=<value>' (\"" + excerpt(l) + "\")");
            }
            for (int c = 0; c < l.length(); c++) {
                // A stray CR or NUL inside a line could split it differently in another parser;
                // values are echoed into answers, so refuse them outright.
                if ((l.charAt(c) < 0x20 && l.charAt(c) != '\t') || l.charAt(c) == 0x7f) {
                    throw new SdpException("line " + number + ": control character in line (\"" + excerpt(l) + "\")");
                }
            }
            lines.add(new SdpLine(number, l.charAt(0), l.substring(2)));
        }
        return lines;
    }

    /** At most 80 printable ASCII characters of untrusted input, safe for logs and HTTP replies. */
    static String excerpt(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), EXCERPT_MAX));
        for (int i = 0; i < s.length() && sb.length() < EXCERPT_MAX; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (s.length() > EXCERPT_MAX) {
            sb.setLength(EXCERPT_MAX - 3);
            sb.append("...");
        }
        return sb.toString();
    }

    /** Parses the value of an "a=candidate:" line, reporting this line on failure. */
    Candidate candidate() throws SdpException {
        String value = SdpParser.required(this);
        try {
            return Candidate.parse(value);
        } catch (SdpException e) {
            throw new SdpException("line " + number + ": " + e.getMessage());
        }
    }

    /** Parses a decimal number within bounds, reporting this line on failure. */
    long number(String s, long min, long max, String what) throws SdpException {
        if (s == null || !s.matches("[0-9]{1,10}")) {
            throw error("bad " + what);
        }
        long n = Long.parseLong(s);
        if (n < min || n > max) {
            throw error(what + " " + n + " out of range " + min + ".." + max);
        }
        return n;
    }
}
