package io.projector.sfu.dtls;

/** Which side of the DTLS handshake this endpoint plays (SDP a=setup: passive = SERVER, active = CLIENT). */
public enum DtlsRole {
    SERVER,
    CLIENT
}
