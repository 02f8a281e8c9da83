package io.projector.sfu.srtp;

import java.security.GeneralSecurityException;

import io.projector.sfu.dtls.SrtpProfile;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;

/**
 * Protects outgoing RTP/RTCP for one peer with the local SRTP keys. Single-threaded (owned by one sender thread).
 * Crypto contexts are created lazily per SSRC and kept for the encoder's lifetime.
 */
public final class SrtpEncoder {
    /**
     * Tail room a caller must leave after the packet. The largest real need is 20 bytes (AEAD_AES_128_GCM SRTCP:
     * 16-byte tag + 4-byte index; SRTP adds at most the 16-byte tag); the extra 10 (one HMAC-SHA1-80 tag) is
     * deliberate slack so buffers sized with this constant never force jitsi-srtp to reallocate.
     */
    public static final int MAX_OVERHEAD = 16 + 4 + 10;

    /** Returned when the packet is not valid RTP/RTCP, lacks tail room, or encryption failed. */
    public static final int FAILED = -1;

    private final SrtpContextFactory factory;
    private final SsrcTable<SrtpCryptoContext> rtpContexts = new SsrcTable<>();
    private final SsrcTable<SrtcpCryptoContext> rtcpContexts = new SsrcTable<>();
    private final PacketBuffer packet = new PacketBuffer();
    private final int rtpOverhead;
    private final int rtcpOverhead;
    private long failures;

    public SrtpEncoder(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        this.factory = SrtpPolicies.factory(true, profile, masterKey, masterSalt);
        this.rtpOverhead = SrtpPolicies.tagLength(profile);
        this.rtcpOverhead = SrtpPolicies.tagLength(profile) + Packets.SRTCP_INDEX_BYTES;
    }

    /**
     * Encrypts and authenticates in place. buf must have len + MAX_OVERHEAD bytes of room from off (the profile's
     * real overhead is enough). Returns the new length, or {@link #FAILED} (counted; buf contents then
     * unspecified).
     */
    public int protectRtp(byte[] buf, int off, int len) {
        if (Packets.rtpHeaderLength(buf, off, len) < 0 || buf.length - off - len < rtpOverhead) {
            failures++;
            return FAILED;
        }
        int ssrc = Packets.readInt(buf, off + 8);
        try {
            SrtpCryptoContext context = rtpContexts.get(ssrc);
            if (context == null) {
                context = factory.deriveContext(ssrc, 0);
                rtpContexts.put(ssrc, context);
            }
            packet.wrap(buf, off, len);
            return result(context.transformPacket(packet), buf, off);
        } catch (GeneralSecurityException | RuntimeException e) {
            failures++;
            return FAILED;
        } finally {
            packet.release();
        }
    }

    /** As {@link #protectRtp}, for a (compound) RTCP packet; appends the SRTCP index and tag. */
    public int protectRtcp(byte[] buf, int off, int len) {
        if (!Packets.isRtcp(buf, off, len) || buf.length - off - len < rtcpOverhead) {
            failures++;
            return FAILED;
        }
        int senderSsrc = Packets.readInt(buf, off + 4);
        try {
            SrtcpCryptoContext context = rtcpContexts.get(senderSsrc);
            if (context == null) {
                context = factory.deriveControlContext(senderSsrc);
                rtcpContexts.put(senderSsrc, context);
            }
            packet.wrap(buf, off, len);
            return result(context.transformPacket(packet), buf, off);
        } catch (GeneralSecurityException | RuntimeException e) {
            failures++;
            return FAILED;
        } finally {
            packet.release();
        }
    }

    /** Packets that could not be protected (invalid input, too little room, crypto failure). */
    public long failures() {
        return failures;
    }

    /** Times jitsi-srtp had to reallocate because of missing tail room; expected to stay 0. */
    public long reallocations() {
        return packet.reallocations();
    }

    private int result(SrtpErrorStatus status, byte[] buf, int off) {
        // A reallocated buffer means the result is not in the caller's array; the length checks above should
        // make that impossible, but never hand back a length that does not describe buf.
        if (status != SrtpErrorStatus.OK || packet.getBuffer() != buf) {
            failures++;
            return FAILED;
        }
        if (packet.getOffset() != off) {
            System.arraycopy(buf, packet.getOffset(), buf, off, packet.getLength());
        }
        return packet.getLength();
    }
}
