/**
 * ICE policy and connection diagnosis shared by the presenter and viewer pages.
 *
 * URL parameter:
 *   relay=1  use only TURN relay candidates (iceTransportPolicy 'relay'), to diagnose networks
 *
 * IceWatch records what the browser gathered (candidate types, STUN/TURN errors)
 * so that a failed connection can say why ("UDP blocked and no TURN configured",
 * "TURN rejected the credentials", …) instead of leaving a black box. With
 * relay-only and no relay candidate there is nothing to check, and the browser
 * would wait forever: IceWatch reports that as soon as gathering completes, or
 * AUTH_GRACE_MS after the TURN server rejected the credentials (coturn may leave
 * the TCP/TLS allocations of a stale credential pending for many seconds).
 *
 * @module ice
 */

export const RELAY_ONLY = new URLSearchParams(location.search).get('relay') === '1';
/** After a credential rejection, how long another TURN URL may still deliver a relay candidate. */
const AUTH_GRACE_MS = 2000;
const AUTH_CODES = [401, 403, 431];

/** @param {RTCIceServer[]} iceServers @returns {string[]} every TURN URL (turn: or turns:) */
function turnUrls(iceServers) {
  return iceServers.flatMap((s) => (Array.isArray(s.urls) ? s.urls : [s.urls]))
    .filter((u) => typeof u === 'string' && /^turns?:/i.test(u));
}

/**
 * RTCPeerConnection configuration for the SFU: BUNDLE, rtcp-mux, and the relay policy from the URL.
 * @param {RTCIceServer[]} iceServers from GET /api/sessions/{id}
 * @returns {RTCConfiguration}
 */
export function rtcConfiguration(iceServers) {
  return {
    iceServers, bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require',
    iceTransportPolicy: RELAY_ONLY ? 'relay' : 'all',
  };
}

/**
 * Why this page cannot even try, or null: relay-only needs a TURN server.
 * @param {RTCIceServer[]} iceServers
 * @returns {string|null}
 */
export function relayUnavailable(iceServers) {
  if (!RELAY_ONLY || turnUrls(iceServers).length) return null;
  return 'Relay-only mode (?relay=1) needs a TURN server, but this server has none configured. '
    + 'Remove ?relay=1 from the address, or ask the server’s operator to set up TURN.';
}

/**
 * The selected candidate pair, as the stats overlay and tests need it.
 * @param {RTCPeerConnection|null} pc
 * @returns {Promise<{local: string, remote: string, relayProtocol: string|null, protocol: string,
 *   localAddress: string, remoteAddress: string, rttMs: number|null}|null>}
 */
export async function selectedPair(pc) {
  if (!pc) return null;
  const report = await pc.getStats();
  /** @type {any} */ let pair = null;
  report.forEach((/** @type {any} */ s) => {
    if (s.type === 'transport' && s.selectedCandidatePairId) pair = report.get(s.selectedCandidatePairId);
  });
  if (!pair) {
    report.forEach((/** @type {any} */ s) => {
      if (s.type === 'candidate-pair' && s.state === 'succeeded' && (s.nominated || s.selected)) pair = s;
    });
  }
  const local = pair && report.get(pair.localCandidateId);
  const remote = pair && report.get(pair.remoteCandidateId);
  if (!local || !remote) return null;
  return {
    local: local.candidateType, remote: remote.candidateType,
    relayProtocol: local.relayProtocol || null, protocol: local.protocol || remote.protocol,
    localAddress: `${local.address ?? local.ip}:${local.port}`,
    remoteAddress: `${remote.address ?? remote.ip}:${remote.port}`,
    rttMs: typeof pair.currentRoundTripTime === 'number' ? Math.round(pair.currentRoundTripTime * 1000) : null,
  };
}

/** Watches one peer connection's ICE gathering and explains a failure. */
export class IceWatch {
  /**
   * @param {RTCPeerConnection} pc
   * @param {RTCIceServer[]} iceServers what the peer connection was configured with
   * @param {(message: string) => void} onHopeless called once when connecting cannot succeed
   * @param {any[]} [past] icecandidate / icecandidateerror events the peer connection fired before this watch
   *   was made (the viewer page's early join records them), replayed first
   */
  constructor(pc, iceServers, onHopeless, past = []) {
    this.pc = pc;
    this.turn = turnUrls(iceServers);
    /** @type {Record<string, number>} gathered candidates by type */
    this.gathered = {};
    /** @type {{url: string, code: number, text: string}[]} */
    this.errors = [];
    this.reported = false;
    /** @type {ReturnType<typeof setTimeout>|0} */
    this.graceTimer = 0;
    this.onCandidate = (/** @type {RTCPeerConnectionIceEvent} */ ev) => {
      const type = ev.candidate && (ev.candidate.type || (ev.candidate.candidate.match(/ typ (\w+)/) || [])[1]);
      if (type) this.gathered[type] = (this.gathered[type] || 0) + 1;
    };
    this.onError = (/** @type {any} */ ev) => {
      const code = Number(ev.errorCode) || 0;
      this.errors.push({ url: String(ev.url || ''), code, text: String(ev.errorText || '') });
      // Relay-only and the credentials are refused: every URL of this deployment shares them, so unless a
      // relay candidate turns up very soon, nothing will connect.
      if (RELAY_ONLY && AUTH_CODES.includes(code) && !this.graceTimer) {
        this.graceTimer = setTimeout(() => { if (!this.gathered.relay) this.hopeless(onHopeless); }, AUTH_GRACE_MS);
      }
    };
    this.onGathering = () => {
      // Relay-only without a relay candidate: no pair can ever be checked, so say so now.
      if (pc.iceGatheringState === 'complete' && RELAY_ONLY && !this.gathered.relay) this.hopeless(onHopeless);
    };
    for (const ev of past) {
      if (ev.type === 'icecandidate') this.onCandidate(ev);
      else if (ev.type === 'icecandidateerror') this.onError(ev);
    }
    pc.addEventListener('icecandidate', this.onCandidate);
    pc.addEventListener('icecandidateerror', this.onError);
    pc.addEventListener('icegatheringstatechange', this.onGathering);
    if (pc.iceGatheringState === 'complete') this.onGathering();
  }

  /** @private @param {(message: string) => void} cb */
  hopeless(cb) {
    if (this.reported) return;
    this.reported = true;
    cb(this.diagnose());
  }

  /** Why media did not connect, as precisely as the browser let us see. @returns {string} */
  diagnose() {
    const prefix = 'Media could not connect to the server';
    if (!this.turn.length) {
      return `${prefix}: UDP to the server seems blocked (by a firewall, VPN or proxy) and this server has no `
        + 'TURN relay configured to get around it. Try another network, or ask the server’s operator to set up TURN.';
    }
    if (!this.gathered.relay) {
      const auth = this.errors.find((e) => AUTH_CODES.includes(e.code));
      if (auth) {
        return `${prefix}: the TURN server rejected the credentials (error ${auth.code}${auth.text ? `: ${auth.text}` : ''}); `
          + 'they are wrong or have expired. Reload the page to get fresh ones; if that does not help, the '
          + 'server’s TURN secret does not match the TURN server’s.';
      }
      const other = this.errors.find((e) => e.code);
      const why = other ? ` (error ${other.code}${other.text ? `: ${other.text}` : ''})` : '';
      return `${prefix}: ${RELAY_ONLY ? 'relay-only mode is on and ' : 'UDP seems blocked, and '}`
        + `the TURN relay could not be reached either${why}. A firewall may block ${this.turn.join(', ')}.`;
    }
    return `${prefix}${RELAY_ONLY ? ' in relay-only mode' : ''}: the browser reached the TURN relay, but the `
      + 'relay could not reach the media server. The TURN server must be allowed to relay to the SFU’s address '
      + '(coturn: allowed-peer-ip).';
  }

  /** Reports the diagnosis (once) for a connection that failed or timed out. @param {(m: string) => void} cb */
  failed(cb) {
    this.hopeless(cb);
  }

  dispose() {
    clearTimeout(this.graceTimer);
    this.pc.removeEventListener('icecandidate', this.onCandidate);
    this.pc.removeEventListener('icecandidateerror', this.onError);
    this.pc.removeEventListener('icegatheringstatechange', this.onGathering);
  }
}
