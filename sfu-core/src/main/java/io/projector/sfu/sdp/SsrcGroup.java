package io.projector.sfu.sdp;

import java.util.List;
import java.util.Objects;

/** An {@code a=ssrc-group:<semantics> <ssrc>...} line, e.g. FID (RTX) or SIM. */
public record SsrcGroup(String semantics, List<Long> ssrcs) {
    public SsrcGroup {
        Objects.requireNonNull(semantics, "semantics");
        ssrcs = List.copyOf(ssrcs);
    }
}
