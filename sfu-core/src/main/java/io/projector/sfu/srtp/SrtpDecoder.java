package io.projector.sfu.srtp;

import java.security.GeneralSecurityException;

import io.projector.sfu.dtls.SrtpProfile;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;

/**
 * Unprotects incoming SRTP/SRTCP for one peer with the remote SRTP keys. Single-threaded (owned by the receive
 * thread). Input is untrusted: every failure returns a negative code and bumps a counter, nothing throws.
 */
public final class SrtpDecoder {
    public static final int AUTH_FAILED = -1;
    public static final int REPLAYED = -2;
    public static final int MALFORMED = -3;
    /** A new SSRC was seen but the table of remote streams is full. */
    public static final int TOO_MANY_SSRCS = -4;

    /**
     * Remote streams per peer we keep contexts for. A context is only kept once a packet for its SSRC has
     * authenticated, so garbage cannot fill the table; the cap bounds memory even for a misbehaving peer.
     */
    static final int MAX_REMOTE_SSRCS = 256;

    private final SrtpContextFactory factory;
    private final SsrcTable<SrtpCryptoContext> rtpContexts = new SsrcTable<>();
    private final SsrcTable<SrtcpCryptoContext> rtcpContexts = new SsrcTable<>();
    private final PacketBuffer packet = new PacketBuffer();
    private final int minSrtpLength;
    private final int minSrtcpLength;

    private long authFailures;
    private long replays;
    private long malformed;
    private long tooManySsrcs;

    public SrtpDecoder(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        this.factory = SrtpPolicies.factory(false, profile, masterKey, masterSalt);
        int tag = SrtpPolicies.tagLength(profile);
        this.minSrtpLength = Packets.RTP_FIXED_HEADER_BYTES + tag;
        this.minSrtcpLength = Packets.RTCP_FIXED_HEADER_BYTES + Packets.SRTCP_INDEX_BYTES + tag;
    }

    /** Verifies and decrypts in place; returns the plain RTP length or a negative code (see constants). */
    public int unprotectRtp(byte[] buf, int off, int len) {
        if (Packets.rtpHeaderLength(buf, off, len) < 0 || len < minSrtpLength) {
            malformed++;
            return MALFORMED;
        }
        int ssrc = Packets.readInt(buf, off + 8);
        SrtpCryptoContext context = rtpContexts.get(ssrc);
        boolean fresh = context == null;
        try {
            if (fresh) {
                if (rtpContexts.size() >= MAX_REMOTE_SSRCS) {
                    tooManySsrcs++;
                    return TOO_MANY_SSRCS;
                }
                context = factory.deriveContext(ssrc, 0);
            }
            packet.wrap(buf, off, len);
            int result = result(context.reverseTransformPacket(packet, false), buf, off);
            if (result >= 0 && fresh) {
                rtpContexts.put(ssrc, context);
            }
            return result;
        } catch (GeneralSecurityException | RuntimeException e) {
            malformed++;
            return MALFORMED;
        } finally {
            packet.release();
        }
    }

    /** Verifies and decrypts a (compound) SRTCP packet in place; returns the plain RTCP length or a negative code. */
    public int unprotectRtcp(byte[] buf, int off, int len) {
        if (!Packets.isRtcp(buf, off, len) || len < minSrtcpLength) {
            malformed++;
            return MALFORMED;
        }
        int senderSsrc = Packets.readInt(buf, off + 4);
        SrtcpCryptoContext context = rtcpContexts.get(senderSsrc);
        boolean fresh = context == null;
        try {
            if (fresh) {
                if (rtcpContexts.size() >= MAX_REMOTE_SSRCS) {
                    tooManySsrcs++;
                    return TOO_MANY_SSRCS;
                }
                context = factory.deriveControlContext(senderSsrc);
            }
            packet.wrap(buf, off, len);
            int result = result(context.reverseTransformPacket(packet), buf, off);
            if (result >= 0 && fresh) {
                rtcpContexts.put(senderSsrc, context);
            }
            return result;
        } catch (GeneralSecurityException | RuntimeException e) {
            malformed++;
            return MALFORMED;
        } finally {
            packet.release();
        }
    }

    public long authFailures() {
        return authFailures;
    }

    public long replays() {
        return replays;
    }

    public long malformed() {
        return malformed;
    }

    public long tooManySsrcs() {
        return tooManySsrcs;
    }

    private int result(SrtpErrorStatus status, byte[] buf, int off) {
        switch (status) {
            case OK:
                break;
            case AUTH_FAIL:
                authFailures++;
                return AUTH_FAILED;
            case REPLAY_FAIL:
            case REPLAY_OLD:
                replays++;
                return REPLAYED;
            default: // INVALID_PACKET, FAIL (a cipher error other than a bad tag)
                malformed++;
                return MALFORMED;
        }
        if (packet.getBuffer() != buf) { // decryption only shrinks; defensive
            malformed++;
            return MALFORMED;
        }
        if (packet.getOffset() != off) {
            System.arraycopy(buf, packet.getOffset(), buf, off, packet.getLength());
        }
        return packet.getLength();
    }
}
