/**
 * Tiny WHIP (RFC 9725) / WHEP client shared by the presenter and viewer pages,
 * plus the small JSON API helper both pages use.
 *
 * negotiate() posts the offer as soon as it is created, while setLocalDescription
 * runs (no waiting for ICE gathering), applies the answer and then trickles the local candidates
 * with PATCH application/trickle-ice-sdpfrag to the resource Location. Candidates
 * found before the Location is known are queued; candidates that arrive close
 * together are sent in one PATCH.
 *
 * @module whip
 */

/** Error raised for failed HTTP calls; `code`/`message` come from the server's JSON error when present. */
export class ApiError extends Error {
  /**
   * @param {number} status HTTP status, 0 when the server could not be reached
   * @param {string} code machine-readable code (server's `error.code`, or a local one)
   * @param {string} message human-readable message
   * @param {boolean} [fromServer] true when code/message came from the server's JSON error body
   */
  constructor(status, code, message, fromServer = false) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fromServer = fromServer;
  }
}

export const UNREACHABLE_MESSAGE =
  'Cannot reach the server. Check your network connection and that the Projector server is running.';

/**
 * fetch() that turns network failures into ApiError(0, 'unreachable').
 * @param {string} url
 * @param {RequestInit} [init]
 * @returns {Promise<Response>}
 */
export async function request(url, init) {
  try {
    return await fetch(url, init);
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'unreachable', UNREACHABLE_MESSAGE);
  }
}

/**
 * Builds an ApiError from a failed response, using the `{"error":{"code","message"}}` body when present.
 * @param {Response} res
 * @returns {Promise<ApiError>}
 */
export async function errorFromResponse(res) {
  let text = '';
  try { text = await res.text(); } catch { /* body unreadable */ }
  try {
    const body = JSON.parse(text);
    if (body && body.error && typeof body.error.message === 'string') {
      return new ApiError(res.status, String(body.error.code || 'error'), body.error.message, true);
    }
  } catch { /* not JSON */ }
  // No API error body: something other than the Projector API answered (proxy, static server).
  const st = res.status;
  let message = `Server error (HTTP ${st}).`;
  if (st === 502 || st === 503 || st === 504) {
    message = `Cannot reach the Projector server (HTTP ${st}). It may be restarting; try again in a moment.`;
  } else if (st === 404 || st === 405 || st === 501) {
    message = `Cannot reach the Projector API at this address (HTTP ${st}). Is this page served by the Projector server?`;
  }
  return new ApiError(st, `http_${st}`, message);
}

/**
 * Calls the JSON API and returns the parsed body (null for 204).
 * @param {string} method
 * @param {string} url
 * @param {{token?: string, body?: unknown, keepalive?: boolean}} [opts]
 * @returns {Promise<any>}
 */
export async function apiJson(method, url, opts = {}) {
  /** @type {Record<string,string>} */
  const headers = { Accept: 'application/json' };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  return jsonFrom(request(url, {
    method, headers, cache: 'no-store', keepalive: !!opts.keepalive,
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
  }));
}

/**
 * The JSON body of an API response (null for 204 or an empty body); failures as {@link apiJson} reports them.
 * For a request already started elsewhere, e.g. the viewer page's early session lookup.
 * @param {Promise<Response>} pending
 * @returns {Promise<any>}
 */
export async function jsonFrom(pending) {
  let res;
  try {
    res = await pending;
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    if (e instanceof ApiError) throw e;
    throw new ApiError(0, 'unreachable', UNREACHABLE_MESSAGE);
  }
  if (!res.ok) throw await errorFromResponse(res);
  if (res.status === 204) return null;
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(res.status, 'bad_response', 'The server sent an unexpected response (not JSON).');
  }
}

/**
 * Parses what trickle needs from the local SDP: ICE credentials and the m-lines by mid.
 * @param {string} sdp
 * @returns {{ufrag: string, pwd: string, media: {kind: string, mid: string}[]}}
 */
function parseLocalSdp(sdp) {
  let ufrag = '';
  let pwd = '';
  /** @type {{kind: string, mid: string}[]} */
  const media = [];
  for (const line of sdp.split(/\r?\n/)) {
    if (line.startsWith('m=')) media.push({ kind: line.slice(2).split(' ')[0], mid: String(media.length) });
    else if (line.startsWith('a=mid:') && media.length) media[media.length - 1].mid = line.slice(6).trim();
    else if (line.startsWith('a=ice-ufrag:') && !ufrag) ufrag = line.slice(12).trim();
    else if (line.startsWith('a=ice-pwd:') && !pwd) pwd = line.slice(10).trim();
  }
  return { ufrag, pwd, media };
}

/**
 * A negotiated WHIP/WHEP resource: trickles local candidates and can be deleted.
 */
export class WhipResource {
  /**
   * @param {RTCPeerConnection} pc
   * @param {string|undefined} token bearer token (presenter key) or undefined
   */
  constructor(pc, token) {
    this.pc = pc;
    this.token = token;
    /** @type {string|null} absolute URL of the resource (from Location) */
    this.location = null;
    /** @type {string|null} */
    this.etag = null;
    /** @type {{mid: string, line: string}[]} */
    this.pending = [];
    this.gatheringDone = false;
    this.endSent = false;
    this.trickleEnabled = true;
    this.inFlight = false;
    this.closed = false;
    /** @type {ReturnType<typeof setTimeout>|0} */
    this.timer = 0;
    /** number of PATCH requests sent (diagnostics) */
    this.patches = 0;
    /** @param {RTCPeerConnectionIceEvent} ev */
    this.onCandidate = (ev) => {
      const c = ev.candidate;
      if (!c || !c.candidate) {
        this.gatheringDone = true;
      } else {
        let mid = c.sdpMid;
        if (mid == null) {
          const media = this.pc.localDescription ? parseLocalSdp(this.pc.localDescription.sdp).media : [];
          mid = media[c.sdpMLineIndex ?? 0]?.mid ?? '0';
        }
        this.pending.push({ mid, line: `a=${c.candidate}` });
      }
      this.schedule();
    };
    pc.addEventListener('icecandidate', this.onCandidate);
  }

  /**
   * Request headers with the bearer token (internal).
   * @param {string} [contentType]
   * @returns {Record<string,string>}
   */
  headers(contentType) {
    /** @type {Record<string,string>} */
    const h = {};
    if (contentType) h['Content-Type'] = contentType;
    if (this.token) h.Authorization = `Bearer ${this.token}`;
    return h;
  }

  /** @private Batch candidates that arrive together into one PATCH. */
  schedule() {
    if (!this.location || !this.trickleEnabled || this.closed || this.inFlight || this.timer) return;
    if (!this.pending.length && !(this.gatheringDone && !this.endSent)) return;
    this.timer = setTimeout(() => { this.timer = 0; this.flush(); }, 20);
  }

  /** @private */
  async flush() {
    const pc = this.pc;
    if (!this.location || !pc.localDescription || this.closed) return;
    const batch = this.pending.splice(0);
    const sendEnd = this.gatheringDone && !this.endSent;
    if (!batch.length && !sendEnd) return;
    const { ufrag, pwd, media } = parseLocalSdp(pc.localDescription.sdp);
    const lines = [`a=ice-ufrag:${ufrag}`, `a=ice-pwd:${pwd}`];
    /** @type {Map<string, string[]>} */
    const byMid = new Map();
    for (const { mid, line } of batch) {
      if (!byMid.has(mid)) byMid.set(mid, []);
      byMid.get(mid).push(line);
    }
    if (sendEnd && !byMid.size) byMid.set(media[0]?.mid ?? '0', []);
    for (const [mid, cands] of byMid) {
      const kind = media.find((m) => m.mid === mid)?.kind || 'audio';
      lines.push(`m=${kind} 9 UDP/TLS/RTP/SAVPF 0`, `a=mid:${mid}`, ...cands);
      if (sendEnd) lines.push('a=end-of-candidates');
    }
    if (sendEnd) this.endSent = true;
    this.inFlight = true;
    try {
      const headers = this.headers('application/trickle-ice-sdpfrag');
      if (this.etag) headers['If-Match'] = this.etag;
      const res = await request(this.location, { method: 'PATCH', headers, body: `${lines.join('\r\n')}\r\n` });
      this.patches++;
      // 405/501: the server does not do trickle; ICE still works via peer-reflexive candidates.
      if (res.status === 405 || res.status === 501) this.trickleEnabled = false;
    } catch {
      // Lost trickle is not fatal: the server learns our address from connectivity checks.
    } finally {
      this.inFlight = false;
      this.schedule();
    }
  }

  /**
   * Sends the offer and applies the answer (used by negotiate()).
   * @param {string} url absolute or root-relative WHIP/WHEP endpoint
   * @param {RTCSessionDescriptionInit} [prepared] an offer the caller created ahead of time (to overlap work)
   * @param {(step: string) => void} [onStep] told when the offer is applied locally and when the answer arrived
   * @param {Promise<Response|null>|null} [posted] the response to this offer's POST, sent ahead of time; null
   *   (or a promise of null) to send it here
   * @returns {Promise<void>}
   */
  async post(url, prepared, onStep = () => {}, posted = null) {
    const pc = this.pc;
    // An offer already applied and POSTed (the viewer page's early join): take its response over.
    let res = posted ? await posted.catch(() => null) : null;
    let applied = null;
    if (!res) {
      const offer = prepared || await pc.createOffer();
      // The offer goes out while the browser applies it: our server is an ICE-lite agent that needs only the
      // offer's ICE credentials and fingerprint (setLocalDescription changes neither) and learns addresses from
      // the browser's checks. The answer is applied once both are done.
      applied = pc.signalingState !== 'have-local-offer'
        ? pc.setLocalDescription(offer).then(() => onStep('localDescription'))
        : Promise.resolve(onStep('localDescription'));
      applied.catch(() => { /* awaited below */ });
      res = await request(url, {
        method: 'POST',
        headers: { ...this.headers('application/sdp'), Accept: 'application/sdp' },
        body: offer.sdp || (pc.localDescription ? pc.localDescription.sdp : ''),
        cache: 'no-store',
      });
    }
    // Known before anything below can fail, so that negotiate() releases the server's peer then.
    const loc = res.headers.get('Location');
    if (loc) this.location = new URL(loc, new URL(url, location.href)).href;
    if (applied) await applied;
    if (res.status !== 201 && res.status !== 200) throw await errorFromResponse(res);
    const answer = await res.text();
    onStep('response');
    this.etag = res.headers.get('ETag');
    if (!answer.startsWith('v=')) {
      throw new ApiError(res.status, 'bad_answer', 'The server sent an invalid SDP answer.');
    }
    if (this.closed || pc.signalingState === 'closed') {
      throw new ApiError(0, 'aborted', 'The connection was closed during negotiation.');
    }
    // The viewer page's early join may have applied this very answer already.
    // (Compared by state, not text: the browser re-serializes a description it applied.)
    if (!(posted && pc.signalingState === 'stable' && pc.remoteDescription)) {
      await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    }
    this.schedule();
  }

  /**
   * Deletes the resource on the server (ends this peer) and stops trickling.
   * Errors are swallowed: the server also times idle peers out.
   * @param {{keepalive?: boolean}} [opts] keepalive for use during page unload
   * @returns {Promise<void>}
   */
  async delete(opts = {}) {
    this.dispose();
    if (!this.location) return;
    const loc = this.location;
    this.location = null;
    try {
      await fetch(loc, { method: 'DELETE', headers: this.headers(), keepalive: !!opts.keepalive });
    } catch { /* ignore */ }
  }

  /** Stops trickling without contacting the server. */
  dispose() {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = 0;
    this.pc.removeEventListener('icecandidate', this.onCandidate);
  }
}

/**
 * Runs a WHIP or WHEP exchange on a peer connection whose transceivers are set up:
 * createOffer, POST the offer while setLocalDescription runs, apply the answer,
 * then trickle later candidates with PATCH.
 * @param {RTCPeerConnection} pc
 * @param {string} url e.g. `/whip/${id}` or `/whep/${id}`
 * @param {{token?: string, offer?: RTCSessionDescriptionInit, onStep?: (step: string) => void,
 *   posted?: Promise<Response|null>|null}} [opts] token = presenter key for WHIP; offer = an offer already created
 *   (it is applied with setLocalDescription here); onStep = told 'localDescription' and 'response' as
 *   negotiation passes them (diagnostics); posted = the response of this offer's POST, already sent (the viewer
 *   page's early join), or null for none
 * @returns {Promise<WhipResource>}
 * @throws {ApiError} with the server's code/message on HTTP errors, status 0 when unreachable
 */
export async function negotiate(pc, url, opts = {}) {
  const resource = new WhipResource(pc, opts.token);
  try {
    await resource.post(url, opts.offer, opts.onStep, opts.posted);
  } catch (e) {
    resource.dispose();
    if (resource.location) {
      // Answer could not be applied: release the server side peer.
      fetch(resource.location, { method: 'DELETE', headers: resource.headers() }).catch(() => {});
    }
    throw e;
  }
  return resource;
}
