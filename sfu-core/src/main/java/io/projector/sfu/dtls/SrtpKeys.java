package io.projector.sfu.dtls;

import java.util.Objects;

/**
 * Keys after DTLS: what THIS side uses to protect what it sends (local) and to unprotect what it receives (remote).
 * The arrays are handed over as-is (no copies) to avoid leaving extra copies of key material on the heap;
 * callers must not modify them.
 */
public record SrtpKeys(SrtpProfile profile, byte[] localKey, byte[] localSalt, byte[] remoteKey, byte[] remoteSalt) {

    public SrtpKeys {
        Objects.requireNonNull(profile, "profile");
        checkLength("localKey", localKey, profile.keyLength());
        checkLength("remoteKey", remoteKey, profile.keyLength());
        checkLength("localSalt", localSalt, profile.saltLength());
        checkLength("remoteSalt", remoteSalt, profile.saltLength());
    }

    private static void checkLength(String name, byte[] value, int expectedBytes) {
        Objects.requireNonNull(value, name);
        if (value.length != expectedBytes) {
            // Only the lengths go into the message, never the bytes.
            throw new IllegalArgumentException(name + " must be " + expectedBytes + " bytes, got " + value.length);
        }
    }

    /** Never prints key material, so a stray log statement cannot leak it. */
    @Override
    public String toString() {
        return "SrtpKeys[profile=" + profile + ", keys=<redacted>]";
    }
}
