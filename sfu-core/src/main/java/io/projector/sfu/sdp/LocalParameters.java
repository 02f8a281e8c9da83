package io.projector.sfu.sdp;

import java.util.List;
import java.util.Objects;

/**
 * The SFU's own side of a session, written into the answer.
 *
 * @param fingerprintSdpValue DTLS certificate fingerprint, e.g. "sha-256 AB:CD:..."
 * @param candidates          the SFU's ICE candidates (written on the first accepted m-line)
 * @param sessionId           numeric session id for the o= line
 * @param cname               RTCP CNAME for a=ssrc lines; required for viewers, may be null otherwise
 * @param streamId            msid stream id for viewers; may be null otherwise
 */
public record LocalParameters(String iceUfrag, String icePwd, String fingerprintSdpValue, List<Candidate> candidates,
                              String sessionId, String cname, String streamId) {

    public LocalParameters {
        // These end up verbatim in SDP: reject anything that could break or inject lines.
        require(iceUfrag, "[A-Za-z0-9+/]{4,256}", "iceUfrag");
        require(icePwd, "[A-Za-z0-9+/]{22,256}", "icePwd");
        require(fingerprintSdpValue, "[A-Za-z0-9-]{1,16} [0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){15,63}", "fingerprintSdpValue");
        require(sessionId, "[0-9]{1,19}", "sessionId");
        if (cname != null) {
            require(cname, "\\p{Graph}{1,255}", "cname");
        }
        if (streamId != null) {
            require(streamId, "[A-Za-z0-9!#$%&'*+.^_`{|}~-]{1,64}", "streamId");
        }
        candidates = List.copyOf(Objects.requireNonNull(candidates, "candidates"));
    }

    private static void require(String value, String regex, String what) {
        if (value == null || !value.matches(regex)) {
            throw new IllegalArgumentException("invalid " + what + ": " + value);
        }
    }
}
