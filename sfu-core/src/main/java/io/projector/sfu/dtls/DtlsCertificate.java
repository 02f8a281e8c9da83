package io.projector.sfu.dtls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.crypto.TlsCertificate;

/**
 * ECDSA P-256 self-signed certificate generated at start. WebRTC does not use PKI: the peer trusts exactly the
 * certificate whose fingerprint we put in the SDP, so name, dates and extensions only need to be well-formed.
 * P-256 + SHA-256 is what browsers generate themselves, so every WebRTC stack accepts it.
 */
public final class DtlsCertificate {

    /** Backdated so peers with a slow clock do not see a "not yet valid" certificate (some stacks check). */
    private static final Duration NOT_BEFORE_SKEW = Duration.ofDays(30);
    private static final Duration LIFETIME = Duration.ofDays(365);
    private static final int SERIAL_BITS = 64;

    private final AsymmetricKeyParameter privateKey;
    private final byte[] der;
    private final Certificate tlsCertificate;
    private final Fingerprint fingerprint;

    private DtlsCertificate(AsymmetricKeyParameter privateKey, byte[] der) throws IOException {
        this.privateKey = privateKey;
        this.der = der;
        TlsCertificate cert = DtlsPeers.CRYPTO.createCertificate(der);
        this.tlsCertificate = new Certificate(new TlsCertificate[] {cert});
        this.fingerprint = Fingerprint.of("sha-256", der);
    }

    /** A fresh key pair and certificate (CN=projector, random serial, valid 30 days back .. 1 year ahead). */
    public static DtlsCertificate generate() {
        try {
            // Named-curve parameters make the SubjectPublicKeyInfo carry the P-256 OID; BoringSSL (Chrome)
            // rejects certificates with explicit curve parameters.
            ECNamedDomainParameters p256 = ECNamedDomainParameters.lookup(SECObjectIdentifiers.secp256r1);
            ECKeyPairGenerator generator = new ECKeyPairGenerator();
            generator.init(new ECKeyGenerationParameters(p256, DtlsPeers.RANDOM));
            AsymmetricCipherKeyPair keyPair = generator.generateKeyPair();

            SubjectPublicKeyInfo spki = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(keyPair.getPublic());
            X500Name name = new X500Name("CN=projector");
            Instant now = Instant.now();
            BigInteger serial = new BigInteger(SERIAL_BITS - 1, DtlsPeers.RANDOM).add(BigInteger.ONE); // positive
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(name, serial,
                    Date.from(now.minus(NOT_BEFORE_SKEW)), Date.from(now.plus(LIFETIME)), name, spki);

            AlgorithmIdentifier sigAlg = new DefaultSignatureAlgorithmIdentifierFinder().find("SHA256withECDSA");
            AlgorithmIdentifier digAlg = new DefaultDigestAlgorithmIdentifierFinder().find(sigAlg);
            ContentSigner signer = new BcECContentSignerBuilder(sigAlg, digAlg).build(keyPair.getPrivate());
            byte[] der = builder.build(signer).getEncoded();
            return new DtlsCertificate(keyPair.getPrivate(), der);
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode the DTLS certificate", e);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("could not create the ECDSA signer", e);
        }
    }

    /** SHA-256 over the DER certificate: the value for our SDP a=fingerprint. */
    public Fingerprint fingerprint() {
        return fingerprint;
    }

    /** A copy of the DER encoding. */
    public byte[] derEncoded() {
        return der.clone();
    }

    AsymmetricKeyParameter privateKey() {
        return privateKey;
    }

    /** The single-entry chain sent in the TLS Certificate message. */
    Certificate tlsCertificate() {
        return tlsCertificate;
    }

    @Override
    public String toString() {
        return "DtlsCertificate[" + fingerprint.toSdpValue() + "]";
    }
}
