package io.projector.sfu.dtls;

import java.io.IOException;
import java.util.Hashtable;
import java.util.List;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** BC server peer for DTLS-SRTP: requires a client certificate matching the SDP fingerprint, negotiates use_srtp. */
final class SrtpDtlsServer extends DefaultTlsServer {
    private static final Logger LOG = LoggerFactory.getLogger(SrtpDtlsServer.class);

    private final DtlsCertificate local;
    private final Fingerprint expectedRemote;
    /** Acceptable profiles in our preference order (GCM first). */
    private final List<SrtpProfile> profiles;
    private final int handshakeTimeoutMs;

    private SrtpProfile selected;
    private volatile SrtpKeys keys;

    SrtpDtlsServer(DtlsCertificate local, Fingerprint expectedRemote, List<SrtpProfile> profiles,
            int handshakeTimeoutMs) {
        super(DtlsPeers.CRYPTO);
        this.local = local;
        this.expectedRemote = expectedRemote;
        this.profiles = profiles;
        this.handshakeTimeoutMs = handshakeTimeoutMs;
    }

    /** Available once accept() has returned. */
    /** The cipher suite the handshake settled on (valid after it completed). */
    int negotiatedCipherSuite() {
        return context.getSecurityParametersConnection().getCipherSuite();
    }

    SrtpKeys keys() {
        return keys;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return DtlsPeers.cipherSuites();
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return handshakeTimeoutMs;
    }

    /** The keying-material exporter refuses to run without EMS (RFC 7627), so fail early instead of after. */
    @Override
    public boolean requiresExtendedMasterSecret() {
        return true;
    }

    /** Trust comes from the fingerprint, not from how the self-signed certificate was signed. */
    @Override
    public boolean shouldCheckSigAlgOfPeerCerts() {
        return false;
    }

    /** BC's DTLS never renegotiates, so a peer without renegotiation_info poses no risk; do not abort. */
    @Override
    public void notifySecureRenegotiation(boolean secureRenegotiation) {
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        return DtlsPeers.signer(context, local, context.getSecurityParametersHandshake().getClientSigAlgs());
    }

    /** RFC 5763 5: the server MUST request the client certificate; it is the peer's only authentication. */
    @Override
    public CertificateRequest getCertificateRequest() {
        short[] types = {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign};
        return new CertificateRequest(types, DtlsPeers.acceptedClientSignatureAlgorithms(), null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        DtlsPeers.verifyPeer(clientCertificate, expectedRemote);
    }

    @Override
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData offered = clientExtensions == null ? null : TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        if (offered == null) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "client did not offer use_srtp");
        }
        if (offered.getMki().length != 0) {
            // We would have to strip an MKI from every packet; no browser sends one.
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "SRTP MKI is not supported");
        }
        selected = DtlsPeers.choose(offered.getProtectionProfiles(), profiles);
        if (selected == null) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "no common SRTP protection profile");
        }
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getServerExtensions());
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(new int[] {selected.id()}, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        keys = DtlsPeers.exportKeys(context, selected, true);
    }

    @Override
    public void notifyAlertRaised(short level, short description, String message, Throwable cause) {
        LOG.debug("DTLS server raised alert {}: {}", AlertDescription.getText(description), message);
    }

    @Override
    public void notifyAlertReceived(short level, short description) {
        LOG.debug("DTLS server received alert {}", AlertDescription.getText(description));
    }
}
