package io.projector.sfu.sdp;

import java.util.Locale;

/** RTP media direction attribute (RFC 3264 section 6.1), always from the point of view of the SDP's author. */
public enum Direction {
    SENDRECV,
    SENDONLY,
    RECVONLY,
    INACTIVE;

    /** The direction the other side sees: what one side sends, the other receives. */
    public Direction reverse() {
        return switch (this) {
            case SENDONLY -> RECVONLY;
            case RECVONLY -> SENDONLY;
            default -> this;
        };
    }

    /** The attribute name as written in SDP, e.g. "sendonly". */
    public String attribute() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the author of the SDP sends media in this direction. */
    public boolean sends() {
        return this == SENDRECV || this == SENDONLY;
    }

    /** Whether the author of the SDP receives media in this direction. */
    public boolean receives() {
        return this == SENDRECV || this == RECVONLY;
    }

    /** The direction named by an attribute such as "recvonly", or null when it is not a direction. */
    public static Direction fromAttribute(String attribute) {
        for (Direction d : values()) {
            if (d.attribute().equals(attribute)) {
                return d;
            }
        }
        return null;
    }
}
