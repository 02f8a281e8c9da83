package io.projector.sfu.dtls;

import java.io.IOException;
import java.util.Hashtable;
import java.util.List;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BC client peer for DTLS-SRTP: offers use_srtp, checks the server certificate against the SDP fingerprint.
 * Not final only so that a test can play a client that sends no certificate.
 */
class SrtpDtlsClient extends DefaultTlsClient {
    private static final Logger LOG = LoggerFactory.getLogger(SrtpDtlsClient.class);

    private final DtlsCertificate local;
    private final Fingerprint expectedRemote;
    /** Offered profiles in our preference order. */
    private final List<SrtpProfile> profiles;
    private final int handshakeTimeoutMs;

    private SrtpProfile selected;
    private volatile SrtpKeys keys;

    SrtpDtlsClient(DtlsCertificate local, Fingerprint expectedRemote, List<SrtpProfile> profiles,
            int handshakeTimeoutMs) {
        super(DtlsPeers.CRYPTO);
        this.local = local;
        this.expectedRemote = expectedRemote;
        this.profiles = profiles;
        this.handshakeTimeoutMs = handshakeTimeoutMs;
    }

    /** Available once connect() has returned. */
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
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
        int[] ids = profiles.stream().mapToInt(SrtpProfile::id).toArray();
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(ids, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        UseSRTPData chosen = serverExtensions == null ? null : TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        if (chosen == null) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "server did not accept use_srtp");
        }
        int[] ids = chosen.getProtectionProfiles();
        // RFC 5764 4.1.1: the server answers with exactly one of the offered profiles.
        selected = ids.length == 1 ? DtlsPeers.choose(ids, profiles) : null;
        if (selected == null) {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, "server chose an SRTP profile not offered");
        }
        if (chosen.getMki().length != 0) {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, "SRTP MKI is not supported");
        }
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                DtlsPeers.verifyPeer(serverCertificate.getCertificate(), expectedRemote);
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                return DtlsPeers.signer(context, local, request.getSupportedSignatureAlgorithms());
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        keys = DtlsPeers.exportKeys(context, selected, false);
    }

    @Override
    public void notifyAlertRaised(short level, short description, String message, Throwable cause) {
        LOG.debug("DTLS client raised alert {}: {}", AlertDescription.getText(description), message);
    }

    @Override
    public void notifyAlertReceived(short level, short description) {
        LOG.debug("DTLS client received alert {}", AlertDescription.getText(description));
    }
}
