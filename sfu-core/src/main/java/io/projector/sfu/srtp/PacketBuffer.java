package io.projector.sfu.srtp;

import org.jitsi.utils.ByteArrayBuffer;

/**
 * Reusable view of the caller's packet for jitsi-srtp, which works on ByteArrayBuffer. One instance per
 * encoder/decoder (single-threaded), re-pointed for every packet so the hot path allocates nothing.
 */
final class PacketBuffer implements ByteArrayBuffer {
    private byte[] buffer;
    private int offset;
    private int length;
    /** Times jitsi-srtp needed more tail room than the caller left; each one cost an allocation. */
    private long reallocations;

    void wrap(byte[] buf, int off, int len) {
        this.buffer = buf;
        this.offset = off;
        this.length = len;
    }

    /** Drops the reference so an idle encoder/decoder does not pin the caller's (possibly large) buffer. */
    void release() {
        this.buffer = null;
    }

    long reallocations() {
        return reallocations;
    }

    @Override
    public byte[] getBuffer() {
        return buffer;
    }

    @Override
    public int getOffset() {
        return offset;
    }

    @Override
    public int getLength() {
        return length;
    }

    @Override
    public void setLength(int len) {
        if (len < 0 || len > buffer.length - offset) {
            throw new IllegalArgumentException("length " + len + " out of bounds");
        }
        this.length = len;
    }

    @Override
    public void setOffset(int off) {
        if (off < 0 || length > buffer.length - off) {
            throw new IllegalArgumentException("offset " + off + " out of bounds");
        }
        this.offset = off;
    }

    @Override
    public boolean isInvalid() {
        return false;
    }

    @Override
    public void readRegionToBuff(int off, int len, byte[] outBuff) {
        if (off < 0 || len <= 0 || len > outBuff.length || off > buffer.length - offset - len) {
            return; // same lenient contract as jitsi's own implementation
        }
        System.arraycopy(buffer, offset + off, outBuff, 0, len);
    }

    /** Ensures room for howMuch more bytes after the data; reallocates only when the caller left too little. */
    @Override
    public void grow(int howMuch) {
        if (howMuch < 0) {
            throw new IllegalArgumentException("howMuch < 0");
        }
        if (howMuch > buffer.length - offset - length) {
            byte[] bigger = new byte[length + howMuch];
            System.arraycopy(buffer, offset, bigger, 0, length);
            buffer = bigger;
            offset = 0;
            reallocations++;
        }
    }

    @Override
    public void append(byte[] data, int len) {
        if (data == null || len <= 0) {
            return;
        }
        grow(len);
        System.arraycopy(data, 0, buffer, offset + length, len);
        length += len;
    }

    @Override
    public void shrink(int len) {
        if (len > 0) {
            length = Math.max(0, length - len);
        }
    }
}
