package io.projector.sfu.sdp;

import java.util.List;

/**
 * The content of a trickle-ICE PATCH body (RFC 8840 application/trickle-ice-sdpfrag).
 *
 * @param iceUfrag        ICE ufrag the candidates belong to, or null when the fragment names none;
 *                        a value differing from the session's signals an ICE restart
 * @param candidates      remote candidates, in body order
 * @param endOfCandidates whether the peer has finished gathering
 */
public record IceFragment(String iceUfrag, String icePwd, List<Candidate> candidates, boolean endOfCandidates) {
    public IceFragment {
        candidates = List.copyOf(candidates);
    }
}
