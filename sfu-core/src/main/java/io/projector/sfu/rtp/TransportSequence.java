package io.projector.sfu.rtp;

/**
 * Reads and rewrites the transport-wide sequence number header extension
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2) in place: a 2-byte counter the sender increments
 * on every packet of the transport, whatever the SSRC. The SFU reads the presenter's for its feedback, and
 * stamps its own per-viewer counter on forwarded copies, since the viewer's feedback must describe what the
 * SFU sent, not what the presenter sent.
 *
 * <pre>
 *  0                   1                   2
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  ID   | L=1   |transport-wide sequence number |   (one-byte header form)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Both methods expect a packet that passed {@link RtpHeader#isValid} and allocate nothing.
 */
public final class TransportSequence {
  public static final String URI = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
  public static final int DATA_LENGTH = 2;

  private TransportSequence() {}

  /**
   * The transport-wide sequence number of the packet, or -1 when the packet has no element with the
   * negotiated {@code extensionId} or the element is not 2 bytes long.
   */
  public static int read(byte[] buf, int off, int len, int extensionId) {
    int data = dataOffset(buf, off, len, extensionId);
    return data < 0 ? -1 : Bytes.readUint16(buf, data);
  }

  /**
   * Overwrites the packet's transport-wide sequence number with {@code seq} (taken mod 2^16).
   *
   * @return false when there is no 2-byte element with {@code extensionId} to overwrite; the packet is then
   *     unchanged (adding an element would mean growing the header, which this in-place helper does not do)
   */
  public static boolean write(byte[] buf, int off, int len, int extensionId, int seq) {
    int data = dataOffset(buf, off, len, extensionId);
    if (data < 0) {
      return false;
    }
    Bytes.writeUint16(buf, data, seq & 0xffff);
    return true;
  }

  /** Whether the packet carries a 2-byte element with {@code extensionId}. */
  public static boolean has(byte[] buf, int off, int len, int extensionId) {
    return dataOffset(buf, off, len, extensionId) >= 0;
  }

  private static int dataOffset(byte[] buf, int off, int len, int extensionId) {
    if (extensionId < 1 || extensionId > 255) {
      return -1; // 0 means "not negotiated" to callers that keep ids in int fields
    }
    long found = HeaderExtensionMap.find(buf, off, len, extensionId);
    if (found < 0 || HeaderExtensionMap.dataLength(found) != DATA_LENGTH) {
      return -1;
    }
    return HeaderExtensionMap.dataOffset(found);
  }
}
