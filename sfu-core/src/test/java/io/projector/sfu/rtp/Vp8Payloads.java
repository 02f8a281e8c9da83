package io.projector.sfu.rtp;

import java.io.ByteArrayOutputStream;

/** Builds VP8 RTP payloads (descriptor + a few payload bytes) by hand for tests. */
public final class Vp8Payloads {
  private int pictureId = -1;
  private int pictureIdBits = 15;
  private int tl0 = -1;
  private int tid = -1;
  private boolean layerSync;
  private int keyIdx = -1;
  private boolean start = true;
  private int partition;
  private boolean nonReference;
  private boolean keyframe;
  private int widthPx = 1920;
  private int heightPx = 1080;

  public static Vp8Payloads delta() {
    return new Vp8Payloads();
  }

  public static Vp8Payloads keyframe() {
    Vp8Payloads p = new Vp8Payloads();
    p.keyframe = true;
    return p;
  }

  public Vp8Payloads pictureId(int id, int bits) {
    pictureId = id;
    pictureIdBits = bits;
    return this;
  }

  public Vp8Payloads pictureId(int id) {
    return pictureId(id, 15);
  }

  public Vp8Payloads tl0(int v) {
    tl0 = v;
    return this;
  }

  public Vp8Payloads tid(int t, boolean sync) {
    tid = t;
    layerSync = sync;
    return this;
  }

  public Vp8Payloads keyIdx(int k) {
    keyIdx = k;
    return this;
  }

  /** A packet in the middle of a frame (S clear). */
  public Vp8Payloads continuation() {
    start = false;
    return this;
  }

  public Vp8Payloads partition(int pid) {
    partition = pid;
    return this;
  }

  public Vp8Payloads nonReference() {
    nonReference = true;
    return this;
  }

  public Vp8Payloads size(int w, int h) {
    widthPx = w;
    heightPx = h;
    return this;
  }

  public byte[] build() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean x = pictureId >= 0 || tl0 >= 0 || tid >= 0 || keyIdx >= 0;
    out.write((x ? 0x80 : 0) | (nonReference ? 0x20 : 0) | (start ? 0x10 : 0) | partition);
    if (x) {
      out.write((pictureId >= 0 ? 0x80 : 0) | (tl0 >= 0 ? 0x40 : 0) | (tid >= 0 ? 0x20 : 0) | (keyIdx >= 0 ? 0x10 : 0));
      if (pictureId >= 0 && pictureIdBits == 15) {
        out.write(0x80 | (pictureId >> 8));
        out.write(pictureId & 0xff);
      } else if (pictureId >= 0) {
        out.write(pictureId & 0x7f);
      }
      if (tl0 >= 0) {
        out.write(tl0);
      }
      if (tid >= 0 || keyIdx >= 0) {
        out.write((Math.max(tid, 0) << 6) | (layerSync ? 0x20 : 0) | Math.max(keyIdx, 0));
      }
    }
    if (start && partition == 0 && keyframe) {
      // Frame tag (P = 0: keyframe, show_frame), start code, 14-bit width and height little-endian.
      out.writeBytes(new byte[] {0x10, 0x02, 0x00, (byte) 0x9d, 0x01, 0x2a,
          (byte) widthPx, (byte) (widthPx >> 8), (byte) heightPx, (byte) (heightPx >> 8)});
    } else {
      out.writeBytes(new byte[] {0x11, 0x02, 0x00, 0x55});
    }
    return out.toByteArray();
  }
}
