package io.projector.sfu.forward;

import io.projector.sfu.rtp.HeaderExtensionMap;
import io.projector.sfu.sdp.Codec;
import io.projector.sfu.sdp.HeaderExtension;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Builds the per-viewer translation of the presenter's payload types and header-extension ids, from what each
 * side negotiated. Codecs match by name, clock rate, channels (and H.264 profile/packetization); extensions by
 * URI. Extensions that identify the presenter's own m-lines (mid, rid) are never passed on: viewers learn our
 * streams from the SSRCs in their answer.
 */
public final class StreamMapping {
  static final Set<String> NOT_FORWARDED = Set.of(
      "urn:ietf:params:rtp-hdrext:sdes:mid",
      "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id",
      "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id",
      "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01");

  private StreamMapping() {}

  /** ptMap[presenterPt] = viewerPt, or -1 when the viewer cannot receive that codec. */
  public static int[] payloadTypes(List<Codec> presenterCodecs, List<Codec> viewerCodecs) {
    int[] map = new int[128];
    Arrays.fill(map, -1);
    for (Codec p : presenterCodecs) {
      for (Codec v : viewerCodecs) {
        if (p.sameCodecAs(v)) {
          map[p.payloadType()] = v.payloadType();
          break;
        }
      }
    }
    return map;
  }

  public static HeaderExtensionMap extensions(List<HeaderExtension> presenter, List<HeaderExtension> viewer) {
    HeaderExtensionMap map = new HeaderExtensionMap();
    for (HeaderExtension p : presenter) {
      if (NOT_FORWARDED.contains(p.uri())) {
        continue;
      }
      for (HeaderExtension v : viewer) {
        if (v.uri().equals(p.uri())) {
          map.map(p.id(), v.id());
          break;
        }
      }
    }
    return map;
  }
}
