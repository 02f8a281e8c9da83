package io.projector.sfu.srtp;

import java.util.Objects;

import io.projector.sfu.dtls.SrtpKeys;

/** The encoder (local keys) and decoder (remote keys) for one peer, built from the DTLS-exported keys. */
public final class SrtpPair {
    private final SrtpEncoder encoder;
    private final SrtpDecoder decoder;

    private SrtpPair(SrtpEncoder encoder, SrtpDecoder decoder) {
        this.encoder = encoder;
        this.decoder = decoder;
    }

    public static SrtpPair from(SrtpKeys k) {
        Objects.requireNonNull(k, "keys");
        return new SrtpPair(new SrtpEncoder(k.profile(), k.localKey(), k.localSalt()),
                new SrtpDecoder(k.profile(), k.remoteKey(), k.remoteSalt()));
    }

    /** For the (single) sender thread. */
    public SrtpEncoder encoder() {
        return encoder;
    }

    /** For the (single) receive thread. */
    public SrtpDecoder decoder() {
        return decoder;
    }
}
