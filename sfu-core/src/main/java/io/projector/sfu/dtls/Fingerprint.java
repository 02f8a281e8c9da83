package io.projector.sfu.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Objects;

/**
 * An SDP a=fingerprint value (RFC 8122): hash algorithm (lowercase, e.g. "sha-256") and the digest as uppercase
 * colon-separated hex. The canonical constructor validates and normalises, so two equal fingerprints written
 * with different letter case compare equal.
 */
public record Fingerprint(String algorithm, String hex) {

    /** Bytes shown by {@link #abbreviated()}: enough to tell fingerprints apart in logs without a 95-char line. */
    private static final int ABBREVIATED_BYTES = 4;
    /** Longest piece of untrusted input echoed back in an error message. */
    private static final int MAX_ECHO_CHARS = 40;

    public Fingerprint {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(hex, "hex");
        algorithm = algorithm.toLowerCase(Locale.ROOT);
        int digestBytes = digestLength(algorithm);
        hex = hex.toUpperCase(Locale.ROOT);
        validateHex(hex, algorithm, digestBytes);
    }

    /**
     * Parses an SDP attribute value such as {@code "sha-256 AB:CD:..."}. The algorithm is case-insensitive, the
     * hex is normalised to uppercase; surrounding and separating whitespace is tolerated.
     *
     * @throws IllegalArgumentException with a message naming what is wrong
     */
    public static Fingerprint parse(String sdpValue) {
        if (sdpValue == null) {
            throw new IllegalArgumentException("fingerprint is null");
        }
        String[] parts = sdpValue.trim().split("\\s+");
        if (parts.length != 2 || parts[0].isEmpty()) {
            throw new IllegalArgumentException(
                    "fingerprint must be '<hash-function> <hex>', got '" + echo(sdpValue) + "'");
        }
        return new Fingerprint(parts[0], parts[1]);
    }

    /** Fingerprint of a DER-encoded certificate with the given algorithm ("sha-256", ...). */
    public static Fingerprint of(String algorithm, byte[] derCertificate) {
        Objects.requireNonNull(derCertificate, "derCertificate");
        String alg = algorithm.toLowerCase(Locale.ROOT);
        digestLength(alg); // rejects unsupported algorithms with a clear message
        return new Fingerprint(alg, toHex(digest(alg, derCertificate)));
    }

    /** Whether the DER certificate hashes to this fingerprint (same algorithm), compared in constant time. */
    public boolean matches(byte[] derCertificate) {
        if (derCertificate == null) {
            return false;
        }
        return MessageDigest.isEqual(digest(algorithm, derCertificate), bytes());
    }

    /** The SDP attribute value, e.g. {@code "sha-256 AB:CD:..."}. */
    public String toSdpValue() {
        return algorithm + " " + hex;
    }

    /** e.g. "sha-256 AB:CD:EF:01:..." — used in error messages where the full value would only be noise. */
    String abbreviated() {
        int chars = ABBREVIATED_BYTES * 3 - 1;
        return algorithm + " " + (hex.length() <= chars ? hex : hex.substring(0, chars) + ":...");
    }

    /** The raw digest bytes. */
    byte[] bytes() {
        byte[] out = new byte[(hex.length() + 1) / 3];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(hex, i * 3, i * 3 + 2, 16);
        }
        return out;
    }

    private static int digestLength(String algorithm) {
        return switch (algorithm) {
            case "sha-1" -> 20;
            case "sha-224" -> 28;
            case "sha-256" -> 32;
            case "sha-384" -> 48;
            case "sha-512" -> 64;
            default -> throw new IllegalArgumentException("unsupported fingerprint hash function '" + echo(algorithm)
                    + "' (supported: sha-1, sha-224, sha-256, sha-384, sha-512)");
        };
    }

    private static void validateHex(String hex, String algorithm, int digestBytes) {
        int expectedChars = digestBytes * 3 - 1;
        if (hex.length() != expectedChars) {
            throw new IllegalArgumentException(algorithm + " fingerprint must be " + digestBytes
                    + " colon-separated hex bytes (" + expectedChars + " chars), got " + hex.length()
                    + " chars: '" + echo(hex) + "'");
        }
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            boolean ok = (i % 3 == 2) ? c == ':' : (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
            if (!ok) {
                throw new IllegalArgumentException("malformed fingerprint hex at char " + i + " ('" + c
                        + "'), expected " + (i % 3 == 2 ? "':'" : "a hex digit") + " in '" + echo(hex) + "'");
            }
        }
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            // JCA names are the SDP names in uppercase ("sha-256" -> "SHA-256"); all five ship with every JDK.
            return MessageDigest.getInstance(algorithm.toUpperCase(Locale.ROOT)).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks " + algorithm, e);
        }
    }

    private static String toHex(byte[] digest) {
        StringBuilder sb = new StringBuilder(digest.length * 3);
        for (int i = 0; i < digest.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(Character.toUpperCase(Character.forDigit((digest[i] >> 4) & 0xF, 16)));
            sb.append(Character.toUpperCase(Character.forDigit(digest[i] & 0xF, 16)));
        }
        return sb.toString();
    }

    private static String echo(String untrusted) {
        return untrusted.length() <= MAX_ECHO_CHARS ? untrusted : untrusted.substring(0, MAX_ECHO_CHARS) + "...";
    }
}
