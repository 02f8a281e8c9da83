package io.projector.sfu.sdp;

import java.util.Objects;

/**
 * An RTP header extension mapping ({@code a=extmap:<id>[/<direction>] <uri>}, RFC 8285).
 *
 * @param direction the optional direction suffix as written, or null when there is none (the
 *                  usual case; it then follows the m-line). Firefox writes e.g. "6/recvonly" for
 *                  extensions it only accepts, and an answer must then reverse it.
 */
public record HeaderExtension(int id, String uri, Direction direction) {

    public HeaderExtension {
        Objects.requireNonNull(uri, "uri");
        if (id < 1 || id > 255) {
            throw new IllegalArgumentException("extmap id out of range 1..255: " + id);
        }
    }

    /** A mapping without direction suffix. */
    public HeaderExtension(int id, String uri) {
        this(id, uri, null);
    }

    /** The value for an {@code a=extmap:} line. */
    public String toSdpValue() {
        return id + (direction == null ? "" : "/" + direction.attribute()) + " " + uri;
    }
}
