package io.projector.sfu.sdp;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * An ICE candidate (RFC 8839 section 5.1).
 *
 * @param raw the attribute value after "candidate:" exactly as received, so that extensions such as
 *            raddr/rport/tcptype/generation survive re-serialisation. Pass null to have it built
 *            from the other fields (for the SFU's own candidates).
 */
public record Candidate(String foundation, int component, String transport, long priority, String address,
                        int port, String type, String raw) {

    /** A candidate line longer than this is abuse, not ICE. */
    static final int MAX_LENGTH = 1024;
    private static final Set<String> TYPES = Set.of("host", "srflx", "prflx", "relay");

    public Candidate {
        Objects.requireNonNull(foundation, "foundation");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(type, "type");
        if (component < 1 || component > 256 || port < 0 || port > 65535
                || priority < 0 || priority > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("candidate component, port or priority out of range");
        }
        for (String field : new String[] {foundation, transport, address, type}) {
            if (!field.matches("\\p{Graph}{1,255}")) {
                // These fields are written into SDP; whitespace or line breaks would corrupt it.
                throw new IllegalArgumentException("candidate field must be visible ASCII without spaces: " + field);
            }
        }
        if (raw == null) {
            raw = foundation + " " + component + " " + transport + " " + priority + " " + address + " "
                    + port + " typ " + type;
        }
    }

    /**
     * Parses the value of an {@code a=candidate} attribute. A leading "a=" and/or "candidate:" is
     * tolerated, so the string of a browser's RTCIceCandidate.candidate can be passed as is.
     */
    public static Candidate parse(String attributeValue) throws SdpException {
        if (attributeValue == null) {
            throw new SdpException("candidate is missing");
        }
        String v = attributeValue.strip();
        if (v.startsWith("a=")) {
            v = v.substring(2);
        }
        if (v.startsWith("candidate:")) {
            v = v.substring("candidate:".length());
        }
        if (v.length() > MAX_LENGTH) {
            throw new SdpException("candidate longer than " + MAX_LENGTH + " characters");
        }
        String[] t = v.split("\\s+");
        if (t.length < 8 || !t[6].equalsIgnoreCase("typ")) {
            throw bad("expected '<foundation> <component> <transport> <priority> <address> <port> typ <type>'", v);
        }
        if (!t[0].matches("[A-Za-z0-9+/]{1,32}")) {
            throw bad("bad foundation", v);
        }
        if (!t[2].matches("[A-Za-z][A-Za-z0-9-]{0,15}")) {
            throw bad("bad transport", v);
        }
        // Addresses are IPv4, IPv6 (maybe with a zone) or an mDNS/FQDN name; nothing else may slip into logs.
        if (!t[4].matches("[A-Za-z0-9.:%_-]{1,255}")) {
            throw bad("bad address", v);
        }
        String type = t[7].toLowerCase(Locale.ROOT);
        if (!TYPES.contains(type)) {
            throw bad("unknown candidate type", v);
        }
        long component = number(t[1], 1, 256, "component", v);
        long priority = number(t[3], 0, 0xFFFF_FFFFL, "priority", v);
        long port = number(t[5], 0, 65535, "port", v);
        return new Candidate(t[0], (int) component, t[2], priority, t[4], (int) port, type, v);
    }

    /** The value for an {@code a=candidate:} line (without the "candidate:" prefix). */
    public String toSdpValue() {
        return raw;
    }

    /** Whether the transport is UDP (the only one a WebRTC SFU must support). */
    public boolean isUdp() {
        return transport.equalsIgnoreCase("udp");
    }

    private static long number(String s, long min, long max, String what, String v) throws SdpException {
        if (!s.matches("[0-9]{1,10}")) {
            throw bad("bad " + what, v);
        }
        long n = Long.parseLong(s);
        if (n < min || n > max) {
            throw bad(what + " out of range " + min + ".." + max, v);
        }
        return n;
    }

    private static SdpException bad(String reason, String value) {
        return new SdpException("malformed candidate (" + reason + "): " + SdpLine.excerpt(value));
    }
}
