package io.projector.sfu.srtp;

/** Bounds-checked header reads shared by encoder and decoder; every check guards jitsi-srtp from bad input. */
final class Packets {
    static final int RTP_FIXED_HEADER_BYTES = 12;
    /** V/P/RC, PT, length, sender SSRC. */
    static final int RTCP_FIXED_HEADER_BYTES = 8;
    /** SRTCP appends the E flag + 31-bit index after the payload. */
    static final int SRTCP_INDEX_BYTES = 4;

    private Packets() {
    }

    /** Whether [off, off+len) lies inside buf; written so that off+len cannot overflow. */
    static boolean inBounds(byte[] buf, int off, int len) {
        return buf != null && off >= 0 && len >= 0 && len <= buf.length - off;
    }

    /** RTP version 2 header (fixed part, CSRCs and extension) fits in len; returns its length or -1. */
    static int rtpHeaderLength(byte[] buf, int off, int len) {
        if (!inBounds(buf, off, len) || len < RTP_FIXED_HEADER_BYTES || (buf[off] & 0xC0) != 0x80) {
            return -1;
        }
        int headerLen = RTP_FIXED_HEADER_BYTES + (buf[off] & 0x0F) * 4;
        if ((buf[off] & 0x10) != 0) {
            if (headerLen + 4 > len) {
                return -1;
            }
            headerLen += 4 + readUint16(buf, off + headerLen + 2) * 4;
        }
        return headerLen <= len ? headerLen : -1;
    }

    /** RTCP version 2 with at least the fixed header (which holds the sender SSRC). */
    static boolean isRtcp(byte[] buf, int off, int len) {
        return inBounds(buf, off, len) && len >= RTCP_FIXED_HEADER_BYTES && (buf[off] & 0xC0) == 0x80;
    }

    static int readInt(byte[] buf, int pos) {
        return ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16) | ((buf[pos + 2] & 0xFF) << 8)
                | (buf[pos + 3] & 0xFF);
    }

    static int readUint16(byte[] buf, int pos) {
        return ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
    }
}
