package io.projector.sfu.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class DtlsCertificateTest {

    @Test
    void generatedCertificateIsASelfSignedP256EcdsaCertificateValidNow() throws Exception {
        DtlsCertificate cert = DtlsCertificate.generate();
        X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(cert.derEncoded()));

        assertEquals("CN=projector", x509.getSubjectX500Principal().getName());
        assertEquals(x509.getSubjectX500Principal(), x509.getIssuerX500Principal());
        assertEquals("SHA256withECDSA", x509.getSigAlgName());
        assertEquals(256, ((ECPublicKey) x509.getPublicKey()).getParams().getCurve().getField().getFieldSize());
        x509.verify(x509.getPublicKey());
        Instant now = Instant.now();
        assertTrue(x509.getNotBefore().toInstant().isBefore(now.minus(Duration.ofDays(29))));
        assertTrue(x509.getNotAfter().toInstant().isAfter(now.plus(Duration.ofDays(364))));
        assertTrue(x509.getSerialNumber().signum() > 0);
    }

    @Test
    void everyGenerationYieldsANewKeyAndFingerprint() {
        assertNotEquals(DtlsCertificate.generate().fingerprint(), DtlsCertificate.generate().fingerprint());
    }
}
