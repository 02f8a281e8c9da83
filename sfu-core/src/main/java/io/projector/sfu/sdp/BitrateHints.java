package io.projector.sfu.sdp;

/**
 * Adds Chrome's {@code x-google-start-bitrate} hint (kbit/s) to the video codecs of an answer sent to a
 * presenter. Without it Chrome starts its encoder at ~300 kbit/s and ramps up over tens of seconds: a screen
 * of text looks blurry and a keyframe for a joining viewer is paced out over seconds. Other browsers ignore
 * the parameter. Bandwidth feedback (loss reports today) still pulls the rate down on a poor path.
 */
public final class BitrateHints {
  private BitrateHints() {}

  public static String withStartBitrate(String answerSdp, NegotiatedMedia video, int startKbps) {
    if (video == null || startKbps <= 0) {
      return answerSdp;
    }
    StringBuilder out = new StringBuilder(answerSdp.length() + 128);
    String param = "x-google-start-bitrate=" + startKbps;
    boolean inVideo = false;
    for (String line : answerSdp.split("\r\n")) {
      if (line.startsWith("m=")) {
        inVideo = line.startsWith("m=video") && !line.startsWith("m=video 0 ");
      }
      if (inVideo && line.startsWith("a=rtpmap:")) {
        int pt = payloadType(line, "a=rtpmap:");
        out.append(line).append("\r\n");
        if (isPrimary(video, pt) && !answerSdp.contains("a=fmtp:" + pt + " ")) {
          out.append("a=fmtp:").append(pt).append(' ').append(param).append("\r\n");
        }
        continue;
      }
      if (inVideo && line.startsWith("a=fmtp:") && isPrimary(video, payloadType(line, "a=fmtp:"))) {
        out.append(line).append(';').append(param).append("\r\n");
        continue;
      }
      out.append(line).append("\r\n");
    }
    return out.toString();
  }

  private static boolean isPrimary(NegotiatedMedia video, int pt) {
    for (Codec c : video.codecs()) {
      if (c.payloadType() == pt) {
        return true;
      }
    }
    return false;
  }

  private static int payloadType(String line, String prefix) {
    int end = line.indexOf(' ', prefix.length());
    try {
      return Integer.parseInt(line.substring(prefix.length(), end < 0 ? line.length() : end));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
