package io.projector.sfu.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Vector;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/** What the DTLS server and client peers share: crypto, cipher suites, signing, certificate check, key export. */
final class DtlsPeers {

    static final SecureRandom RANDOM = new SecureRandom();
    /** Stateless apart from the (thread-safe) SecureRandom, so one instance serves every association. */
    static final BcTlsCrypto CRYPTO = new BcTlsCrypto(RANDOM);

    /**
     * Our certificate is ECDSA, so only ECDHE_ECDSA suites can work. BC's DefaultTlsServer lists only RSA
     * suites by default, hence the explicit list. AES-128-GCM first: it is what Chrome and Firefox prefer.
     */
    private static final int[] CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
    };

    /** The only signature scheme our P-256 key uses; every browser accepts it. */
    private static final SignatureAndHashAlgorithm ECDSA_SHA256 =
            SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);

    private DtlsPeers() {
    }

    static int[] cipherSuites() {
        return TlsUtils.getSupportedCipherSuites(CRYPTO, CIPHER_SUITES);
    }

    /**
     * Signature schemes we accept in the client's CertificateVerify. Browsers use ECDSA P-256 (Chrome, Firefox);
     * RSA stays in for older/non-browser peers with RSA certificates.
     */
    static Vector<SignatureAndHashAlgorithm> acceptedClientSignatureAlgorithms() {
        Vector<SignatureAndHashAlgorithm> algs = new Vector<>();
        algs.add(ECDSA_SHA256);
        algs.add(SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha384, SignatureAlgorithm.ecdsa));
        algs.add(SignatureAndHashAlgorithm.rsa_pss_rsae_sha256);
        algs.add(SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.rsa));
        algs.add(SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha384, SignatureAlgorithm.rsa));
        return algs;
    }

    /** Our certificate as signing credentials, provided the peer accepts ECDSA-SHA256 signatures. */
    static TlsCredentialedSigner signer(TlsContext context, DtlsCertificate local, Vector<?> peerSigAlgs)
            throws IOException {
        if (peerSigAlgs == null || !peerSigAlgs.contains(ECDSA_SHA256)) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure,
                    "peer does not accept ecdsa_secp256r1_sha256 signatures");
        }
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), CRYPTO, local.privateKey(),
                local.tlsCertificate(), ECDSA_SHA256);
    }

    /**
     * The WebRTC trust decision: the peer's end-entity certificate must hash to the SDP fingerprint. Chain
     * validation is pointless (self-signed), and BC verifies the peer's handshake signature with this same
     * certificate's key, which proves possession of the private key.
     */
    static void verifyPeer(Certificate chain, Fingerprint expected) throws IOException {
        if (chain == null || chain.isEmpty()) {
            throw new PeerCertificateRejected("peer sent no certificate, expected " + expected.abbreviated());
        }
        byte[] der = chain.getCertificateAt(0).getEncoded();
        if (!expected.matches(der)) {
            Fingerprint actual = Fingerprint.of(expected.algorithm(), der);
            throw new PeerCertificateRejected("peer certificate fingerprint " + actual.abbreviated()
                    + " does not match the expected " + expected.abbreviated());
        }
    }

    /** Picks the first of our profiles (in our preference order) that the peer offered, or null. */
    static SrtpProfile choose(int[] offeredIds, List<SrtpProfile> ours) {
        for (SrtpProfile p : ours) {
            for (int id : offeredIds) {
                if (id == p.id()) {
                    return p;
                }
            }
        }
        return null;
    }

    /**
     * RFC 5764 4.2: EXTRACTOR-dtls_srtp output is client_key | server_key | client_salt | server_salt.
     * The server protects with the server half, the client with the client half.
     */
    static SrtpKeys exportKeys(TlsContext context, SrtpProfile profile, boolean isServer) {
        int keyLen = profile.keyLength();
        int saltLen = profile.saltLength();
        byte[] material = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, 2 * (keyLen + saltLen));
        try {
            byte[] clientKey = Arrays.copyOfRange(material, 0, keyLen);
            byte[] serverKey = Arrays.copyOfRange(material, keyLen, 2 * keyLen);
            byte[] clientSalt = Arrays.copyOfRange(material, 2 * keyLen, 2 * keyLen + saltLen);
            byte[] serverSalt = Arrays.copyOfRange(material, 2 * keyLen + saltLen, 2 * (keyLen + saltLen));
            return isServer
                    ? new SrtpKeys(profile, serverKey, serverSalt, clientKey, clientSalt)
                    : new SrtpKeys(profile, clientKey, clientSalt, serverKey, serverSalt);
        } finally {
            Arrays.fill(material, (byte) 0);
        }
    }
}
