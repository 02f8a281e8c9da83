package io.projector.loadtest.media;

import static io.projector.loadtest.media.IvfTestFiles.concat;
import static io.projector.loadtest.media.IvfTestFiles.fileHeader;
import static io.projector.loadtest.media.IvfTestFiles.frameHeader;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class IvfReaderTest {
  private static IvfReader open(byte[] file) throws IOException {
    return new IvfReader(new ByteArrayInputStream(file), "test.ivf");
  }

  /** Reads every frame, so that errors in frame headers surface too, and answers the failure's message. */
  private static String failure(byte[] file) {
    IOException e = assertThrows(IOException.class, () -> {
      IvfReader reader = open(file);
      while (reader.next() != null) {
        // read on to the end or the error
      }
    });
    assertTrue(e.getMessage().startsWith("malformed IVF test.ivf: "), e.getMessage());
    return e.getMessage();
  }

  private static void assertContains(String expected, String message) {
    assertTrue(message.contains(expected), () -> "'" + message + "' should mention '" + expected + "'");
  }

  @Test
  void readsHeaderFieldsAndFramesInOrder() throws IOException {
    byte[] first = {1, 2, 3};
    byte[] second = {4, 5};
    byte[] file = concat(fileHeader("DKIF", 0, 32, "VP80", 1280, 720, 90000, 3000, 2),
        frameHeader(3, 0), first, frameHeader(2, 0x1_0000_0005L), second);
    IvfReader reader = open(file);
    assertEquals(1280, reader.width());
    assertEquals(720, reader.height());
    assertEquals(3000, reader.timebaseNumerator());
    assertEquals(90000, reader.timebaseDenominator());
    assertEquals(2, reader.declaredFrameCount());
    IvfReader.Frame frame = reader.next();
    assertEquals(0, frame.timestamp());
    assertArrayEquals(first, frame.data());
    frame = reader.next();
    assertEquals(0x1_0000_0005L, frame.timestamp(), "the timestamp is 64 bits");
    assertArrayEquals(second, frame.data());
    assertNull(reader.next());
  }

  @Test
  void skipsTheRestOfALongerHeader() throws IOException {
    byte[] header = fileHeader("DKIF", 0, 40, "VP80", 640, 360, 30, 1, 1);
    byte[] file = concat(header, new byte[8], frameHeader(1, 7), new byte[] {42});
    IvfReader reader = open(file);
    IvfReader.Frame frame = reader.next();
    assertEquals(7, frame.timestamp());
    assertArrayEquals(new byte[] {42}, frame.data());
  }

  @Test
  void rejectsABadSignature() {
    byte[] file = fileHeader("RIFF", 0, 32, "VP80", 1280, 720, 30, 1, 0);
    assertContains("signature is 'RIFF', expected 'DKIF'", failure(file));
    byte[] binary = fileHeader("\u0000\u0001DK", 0, 32, "VP80", 1280, 720, 30, 1, 0);
    assertContains("signature is '\\x00\\x01DK'", failure(binary));
  }

  @Test
  void rejectsAnotherCodec() {
    byte[] file = fileHeader("DKIF", 0, 32, "VP90", 1280, 720, 30, 1, 0);
    assertContains("codec fourcc is 'VP90', expected 'VP80'", failure(file));
  }

  @Test
  void rejectsATruncatedFileHeader() {
    byte[] file = Arrays.copyOf(IvfTestFiles.fileHeader(1280, 720, 0), 20);
    assertContains("truncated file header: 20 of 32 bytes", failure(file));
    assertContains("truncated file header: 0 of 32 bytes", failure(new byte[0]));
    byte[] longHeaderCutShort = concat(fileHeader("DKIF", 0, 48, "VP80", 1280, 720, 30, 1, 0), new byte[4]);
    assertContains("header length says 48 bytes", failure(longHeaderCutShort));
  }

  @Test
  void rejectsBadHeaderFields() {
    assertContains("unsupported IVF version 1",
        failure(fileHeader("DKIF", 1, 32, "VP80", 1280, 720, 30, 1, 0)));
    assertContains("header length 16 is shorter than 32",
        failure(fileHeader("DKIF", 0, 16, "VP80", 1280, 720, 30, 1, 0)));
    assertContains("frame size 0x720 is outside 1..16383",
        failure(fileHeader("DKIF", 0, 32, "VP80", 0, 720, 30, 1, 0)));
    assertContains("frame size 1280x20000 is outside 1..16383",
        failure(fileHeader("DKIF", 0, 32, "VP80", 1280, 20000, 30, 1, 0)));
    assertContains("timebase 1/0 has a zero term",
        failure(fileHeader("DKIF", 0, 32, "VP80", 1280, 720, 0, 1, 0)));
  }

  @Test
  void rejectsATruncatedFrameHeader() {
    byte[] file = concat(IvfTestFiles.fileHeader(1280, 720, 1), Arrays.copyOf(frameHeader(3, 0), 5));
    assertContains("truncated header of frame 0: 5 of 12 bytes", failure(file));
  }

  @Test
  void rejectsATruncatedFrame() {
    byte[] file = concat(IvfTestFiles.fileHeader(1280, 720, 2), frameHeader(2, 0), new byte[2],
        frameHeader(100, 1), new byte[60]);
    assertContains("truncated frame 1: 60 of 100 bytes", failure(file));
  }

  @Test
  void rejectsAnAbsurdFrameLengthWithoutAllocatingIt() {
    byte[] file = concat(IvfTestFiles.fileHeader(1280, 720, 1), frameHeader(0xffff_fff0L, 0), new byte[16]);
    assertContains("frame 0 claims 4294967280 bytes, more than the " + IvfReader.MAX_FRAME_BYTES + " allowed",
        failure(file));
  }
}
