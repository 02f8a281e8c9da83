package io.projector.sfu.srtp;

import java.util.Arrays;

/** Hand-built RTP/RTCP packets for tests, each with SrtpEncoder.MAX_OVERHEAD bytes of tail room. */
public final class TestPackets {
    public static final int RTP_PAYLOAD_TYPE = 96;

    private TestPackets() {
    }

    /** A 12-byte RTP header (V=2, no CSRC/extension) followed by payloadLength bytes of a known pattern. */
    public static byte[] rtp(int ssrc, int sequenceNumber, int payloadLength) {
        byte[] buf = new byte[12 + payloadLength + SrtpEncoder.MAX_OVERHEAD];
        buf[0] = (byte) 0x80;
        buf[1] = (byte) RTP_PAYLOAD_TYPE;
        writeShort(buf, 2, sequenceNumber);
        writeInt(buf, 4, 90_000 + sequenceNumber * 3000); // timestamp
        writeInt(buf, 8, ssrc);
        for (int i = 0; i < payloadLength; i++) {
            buf[12 + i] = (byte) (i * 7 + 1);
        }
        return buf;
    }

    public static int rtpLength(int payloadLength) {
        return 12 + payloadLength;
    }

    /** RTCP receiver report (PT=201) from senderSsrc with one report block about mediaSsrc: 32 bytes. */
    public static byte[] receiverReport(int senderSsrc, int mediaSsrc) {
        byte[] buf = new byte[RECEIVER_REPORT_LENGTH + SrtpEncoder.MAX_OVERHEAD];
        buf[0] = (byte) 0x81; // V=2, RC=1
        buf[1] = (byte) 201;
        writeShort(buf, 2, RECEIVER_REPORT_LENGTH / 4 - 1);
        writeInt(buf, 4, senderSsrc);
        writeInt(buf, 8, mediaSsrc);
        writeInt(buf, 12, 0x01_000002); // fraction lost 1/256, cumulative lost 2
        writeInt(buf, 16, 0x0000_1234); // extended highest sequence number
        writeInt(buf, 20, 17); // jitter
        writeInt(buf, 24, 0); // LSR
        writeInt(buf, 28, 0); // DLSR
        return buf;
    }

    public static final int RECEIVER_REPORT_LENGTH = 32;

    public static byte[] copy(byte[] buf, int len) {
        return Arrays.copyOf(buf, len);
    }

    static void writeShort(byte[] buf, int pos, int v) {
        buf[pos] = (byte) (v >>> 8);
        buf[pos + 1] = (byte) v;
    }

    static void writeInt(byte[] buf, int pos, int v) {
        buf[pos] = (byte) (v >>> 24);
        buf[pos + 1] = (byte) (v >>> 16);
        buf[pos + 2] = (byte) (v >>> 8);
        buf[pos + 3] = (byte) v;
    }
}
