package io.projector.signaling.testpeer;

import io.projector.loadtest.ice.IceChecks;
import io.projector.sfu.dtls.Fingerprint;
import io.projector.sfu.sdp.Codec;
import io.projector.sfu.sdp.MediaDescription;
import io.projector.sfu.sdp.MediaKind;
import io.projector.sfu.sdp.SdpException;
import io.projector.sfu.sdp.SdpParser;
import io.projector.sfu.sdp.SessionDescription;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;

/**
 * The signalling half of the test peer: an offer made from a recorded browser offer, POSTed over WHIP/WHEP,
 * and the parsed answer.
 *
 * @param location the peer's resource URL from the Location header
 */
public record OfferAnswer(SessionDescription offer, SessionDescription answer, String location) {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * POSTs the offer to {@code path} ("/whip/ID" or "/whep/ID").
   *
   * @throws IOException when the server does not answer 201 with a parseable answer (the message says why)
   */
  static OfferAnswer exchange(String baseUrl, String path, String bearerOrNull, String templateResource,
      String ufrag, String pwd, Fingerprint fingerprint, int port) throws IOException, InterruptedException {
    String offerSdp = offerFrom(resource(templateResource), ufrag, pwd, fingerprint, port);
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString(offerSdp));
    if (bearerOrNull != null) {
      request.header("Authorization", "Bearer " + bearerOrNull);
    }
    HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new IOException("POST " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    try {
      return new OfferAnswer(SdpParser.parse(offerSdp), SdpParser.parse(response.body()),
          response.headers().firstValue("Location").orElse(null));
    } catch (SdpException e) {
      throw new IOException("unparseable SDP: " + e.getMessage(), e);
    }
  }

  /**
   * The template with our ICE credentials and fingerprint, and its candidates replaced by one host candidate
   * on our socket (placed before each a=ice-ufrag, where Chrome writes them).
   */
  static String offerFrom(String template, String ufrag, String pwd, Fingerprint fingerprint, int port) {
    String candidate = "a=candidate:1 1 udp " + IceChecks.HOST_PRIORITY + " 127.0.0.1 " + port + " typ host generation 0";
    return template.replaceAll("(?m)^a=candidate:[^\r\n]*\r?\n", "")
        .replaceAll("(?m)^a=ice-ufrag:[^\r\n]*", Matcher.quoteReplacement(candidate + "\r\na=ice-ufrag:" + ufrag))
        .replaceAll("(?m)^a=ice-pwd:[^\r\n]*", Matcher.quoteReplacement("a=ice-pwd:" + pwd))
        .replaceAll("(?m)^a=fingerprint:[^\r\n]*", Matcher.quoteReplacement("a=fingerprint:" + fingerprint.toSdpValue()));
  }

  /** The SFU's 127.0.0.1 host candidate: tests talk to loopback only. */
  InetSocketAddress loopbackCandidate() throws IOException {
    return answer.media().stream().flatMap(m -> m.candidates().stream())
        .filter(c -> c.isUdp() && c.address().equals("127.0.0.1")).findFirst()
        .map(c -> new InetSocketAddress(InetAddress.getLoopbackAddress(), c.port()))
        .orElseThrow(() -> new IOException("the answer has no 127.0.0.1 candidate"));
  }

  /** The first a=ssrc of the first m-line of this kind in the answer (the SFU's sending SSRC for viewers). */
  public long answerSsrc(MediaKind kind) {
    return section(answer, kind).ssrcs().get(0);
  }

  /** The first a=ssrc of the first m-line of this kind in our offer (what a presenter sends with). */
  public long offerSsrc(MediaKind kind) {
    return section(offer, kind).ssrcs().get(0);
  }

  /** The payload type the answer gives the codec (e.g. "VP8") in the m-line of this kind. */
  public int answerPayloadType(MediaKind kind, String codecName) {
    return section(answer, kind).codecs().stream().filter(c -> c.name().equalsIgnoreCase(codecName))
        .mapToInt(Codec::payloadType).findFirst()
        .orElseThrow(() -> new IllegalStateException("the answer has no " + codecName + " for " + kind));
  }

  /** The RTX payload type the answer pairs with the codec, or -1. */
  public int answerRtxPayloadType(MediaKind kind, String codecName) {
    return section(answer, kind).codecs().stream().filter(c -> c.name().equalsIgnoreCase(codecName))
        .mapToInt(Codec::rtxPayloadType).findFirst().orElse(-1);
  }

  private static MediaDescription section(SessionDescription sd, MediaKind kind) {
    return sd.media().stream().filter(m -> m.kind() == kind).findFirst()
        .orElseThrow(() -> new IllegalStateException("no " + kind + " m-line"));
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = OfferAnswer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("no test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
