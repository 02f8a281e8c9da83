package io.projector.loadtest.peer;

import io.projector.sfu.dtls.DtlsCertificate;
import java.net.InetSocketAddress;
import java.security.SecureRandom;

/**
 * What a peer says about itself in SDP: its socket's address (the one host candidate), ICE credentials, and
 * DTLS certificate. The certificate is shared by all peers of one generator: generating an ECDSA key per
 * viewer would cost more than the viewer; browsers also reuse theirs.
 */
public record LocalIdentity(InetSocketAddress localAddress, String iceUfrag, String icePwd,
    DtlsCertificate certificate, long sessionVersionSeed) {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ICE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  /** Fresh ICE credentials (RFC 8839 ice-chars: 4-character ufrag, 24-character password). */
  public static LocalIdentity create(InetSocketAddress localAddress, DtlsCertificate certificate) {
    return new LocalIdentity(localAddress, iceChars(4), iceChars(24), certificate, RANDOM.nextLong() & Long.MAX_VALUE);
  }

  /** RFC 8839 ice-chars, random. */
  public static String iceChars(int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(ICE_CHARS.charAt(RANDOM.nextInt(ICE_CHARS.length())));
    }
    return sb.toString();
  }
}
