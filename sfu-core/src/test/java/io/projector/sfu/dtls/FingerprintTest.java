package io.projector.sfu.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class FingerprintTest {
    private static final String SHA256_HEX =
            "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";

    @Test
    void parseNormalisesAlgorithmToLowercaseAndHexToUppercase() {
        Fingerprint fp = Fingerprint.parse("  SHA-256   " + SHA256_HEX.toLowerCase() + " ");

        assertEquals("sha-256", fp.algorithm());
        assertEquals(SHA256_HEX, fp.hex());
        assertEquals("sha-256 " + SHA256_HEX, fp.toSdpValue());
        assertEquals(Fingerprint.parse("sha-256 " + SHA256_HEX), fp);
    }

    @ParameterizedTest
    @CsvSource({"sha-1,20", "sha-224,28", "sha-256,32", "sha-384,48", "sha-512,64"})
    void parseSupportsEveryRfc8122HashOfTheRightLength(String algorithm, int bytes) {
        String hex = String.join(":", java.util.Collections.nCopies(bytes, "0F"));
        assertEquals(algorithm + " " + hex, Fingerprint.parse(algorithm.toUpperCase() + " " + hex).toSdpValue());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "sha-256",
        "sha-256 " + SHA256_HEX + " extra",
        "md5 AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89",
        "sha-256 AB:CD",
        "sha-256 ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789",
        "sha-256 GB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89",
        "sha-256 AB-CD-EF-01-23-45-67-89-AB-CD-EF-01-23-45-67-89-AB-CD-EF-01-23-45-67-89-AB-CD-EF-01-23-45-67-89",
        "sha-1 " + SHA256_HEX,
    })
    void parseRejectsGarbageWithAClearMessage(String garbage) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Fingerprint.parse(garbage));
        assertTrue(e.getMessage().contains("fingerprint"), e.getMessage());
    }

    @Test
    void unsupportedAlgorithmMessageListsTheSupportedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Fingerprint.parse("md5 AB:CD"));
        assertTrue(e.getMessage().contains("md5") && e.getMessage().contains("sha-256"), e.getMessage());
    }

    @Test
    void ofMatchesTheSameBytesOnly() {
        byte[] der = "not really a certificate".getBytes(StandardCharsets.US_ASCII);
        Fingerprint fp = Fingerprint.of("SHA-256", der);

        assertEquals("sha-256", fp.algorithm());
        assertTrue(fp.matches(der));
        assertTrue(Fingerprint.parse(fp.toSdpValue()).matches(der));
        assertFalse(fp.matches("another certificate".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(fp.matches(null));
        assertTrue(Fingerprint.of("sha-1", der).matches(der));
        assertEquals(20 * 3 - 1, Fingerprint.of("sha-1", der).hex().length());
    }

    @Test
    void certificateFingerprintIsSha256OfItsDerEncoding() {
        DtlsCertificate cert = DtlsCertificate.generate();
        assertEquals(Fingerprint.of("sha-256", cert.derEncoded()), cert.fingerprint());
        assertTrue(cert.fingerprint().matches(cert.derEncoded()));
    }
}
