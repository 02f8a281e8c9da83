/**
 * Viewer page (/view/{id}): joins over WHEP on load and plays the shared screen
 * with the lowest latency the browser allows.
 *
 * URL parameters:
 *   marker=1 or stats=1  decode the latency strip from every frame and show a stats overlay
 *   relay=1              connect through the TURN relay only (see ice.js)
 *
 * Automation hooks live in `window.projector` (see ViewerHooks).
 *
 * @module viewer
 */
import { ApiError, apiJson, jsonFrom, negotiate, UNREACHABLE_MESSAGE } from './whip.js';
import { SessionEvents } from './events.js';
import { MarkerReader } from './marker.js';
import { IceWatch, RELAY_ONLY, relayUnavailable, rtcConfiguration, selectedPair } from './ice.js';

/**
 * @typedef {'connecting'|'waiting'|'live'|'ended'|'error'|'reconnecting'} ViewerState
 * @typedef {object} ViewerStats
 * @property {number} framesRendered every presented frame (requestVideoFrameCallback), always counted
 * @property {number} markerFrames frames whose strip decoded with a valid checksum
 * @property {number} markerErrors frames with a strip that failed the checksum (damaged strip)
 * @property {number} markerMissing frames without any strip (uniform top rows: e.g. a first
 *   frame that is not drawable yet, or a presenter not painting the strip)
 * @property {number[]} latenciesMs glass-to-glass latencies, the last 5000
 * @property {number[]} receivedToShownMs per latency sample, the part after the frame's last packet arrived
 *   (jitter buffer, decode, render; NaN when the browser does not say when it arrived)
 * @property {number[]} presentedToShownMs per latency sample, the part after the frame was handed to the compositor
 * @property {number|null} firstFrameMs performance.now() at the first rendered frame
 * @property {number} width intrinsic width of the last frame
 * @property {number} height intrinsic height of the last frame
 * @property {{timeMs: number, counter: number}|null} lastMarker
 * @typedef {object} ViewerHooks
 * @property {ViewerState} state
 * @property {Record<string, number>} timeline when the first join passed each step, ms since navigation start:
 *   script (the page's first script runs), peer (peer connection created), lookup (session lookup answered),
 *   offer (offer created), localDescription (offer applied), whepRequestSent and
 *   whepAnswerStarted (the WHEP request's resource timing: sent, first byte back), response (the WHEP answer
 *   arrived), answer (answer applied), connected, firstFrame
 * @property {RTCPeerConnection|null} pc
 * @property {HTMLVideoElement} video
 * @property {ViewerStats} stats
 * @property {number|null} iceErrorAtMs performance.now() when iceError was first shown
 * @property {string|null} iceError why media could not connect (diagnosis; retries continue), null when it did
 * @property {number|null} connectMs from creating the peer connection to ICE+DTLS connected
 * @property {boolean} relay relay-only mode (?relay=1)
 * @property {() => Promise<object|null>} selectedPair the selected ICE candidate pair (see ice.js)
 */

const params = new URLSearchParams(location.search);
const DECODE = params.get('marker') === '1' || params.get('stats') === '1';
const MAX_LATENCIES = 5000;
const CONNECT_TIMEOUT_MS = 15000;
const NO_VIDEO_TIMEOUT_MS = 4000;

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const video = /** @type {HTMLVideoElement} */ ($('video'));
const ui = {
  stage: $('stage'),
  overlay: $('overlay'),
  state: $('state'),
  detail: $('detail'),
  play: /** @type {HTMLButtonElement} */ ($('play')),
  stats: $('stats'),
  badge: $('badge'),
  audience: $('audience'),
  unmute: /** @type {HTMLButtonElement} */ ($('unmute')),
  fullscreen: /** @type {HTMLButtonElement} */ ($('fullscreen')),
};

/** @type {ViewerStats} */
const stats = {
  framesRendered: 0, markerFrames: 0, markerErrors: 0, markerMissing: 0,
  latenciesMs: [], receivedToShownMs: [], presentedToShownMs: [],
  firstFrameMs: null, width: 0, height: 0, lastMarker: null,
};
/** @type {ViewerHooks} */
const hooks = {
  state: 'connecting', timeline: /** @type {any} */ (window).projectorEarlyJoin?.timeline ?? {}, pc: null, video, stats, iceError: null, iceErrorAtMs: null, connectMs: null, relay: RELAY_ONLY,
  selectedPair: () => selectedPair(pc),
};
/** @type {any} */ (window).projector = hooks;

/** Records when the first join reached a step (diagnostics: where a slow first picture spends its time). */
function mark(/** @type {string} */ step) {
  if (!(step in hooks.timeline)) hooks.timeline[step] = Math.round(performance.now());
}

const sessionId = (location.pathname.match(/^\/view\/([A-Za-z0-9_-]+)\/?$/) || [])[1] || params.get('id');

// ------------------------------------------------------------ connection state

let ended = false;
let endedMessage = 'The presentation has ended.';
/** @type {{title: string, detail: string}|null} unrecoverable error */
let fatal = null;
/** @type {boolean|null} presenter live according to the server, null = unknown */
let presenterLive = null;
let hadConnection = false;
/** events socket state: null before the first connection */
let eventsUp = /** @type {boolean|null} */ (null);
/** @type {ApiError|Error|null} why the last attempt failed */
let lastError = null;
let retryPending = false;
let attempt = 0;
let generation = 0;
/** frames rendered on the current peer connection since the presenter (re)went live */
let framesSinceLive = 0;
/** @type {RTCPeerConnection|null} */
let pc = null;
/** @type {import('./whip.js').WhipResource|null} */
let whep = null;
/** @type {IceWatch|null} */
let watch = null;
/** @type {string|null} diagnosed reason media cannot connect; shown as an error while retries go on */
let iceProblem = null;
let pcCreatedAt = 0;
/** @type {SessionEvents|null} */
let events = null;
/** @type {RTCIceServer[]} */
let iceServers = [];
/** @type {ReturnType<typeof setTimeout>|0} */ let retryTimer = 0;
/** @type {ReturnType<typeof setTimeout>|0} */ let connectTimer = 0;
/** @type {ReturnType<typeof setTimeout>|0} */ let noVideoTimer = 0;

/** @returns {ViewerState} */
function computeState() {
  if (ended) return 'ended';
  if (fatal) return 'error';
  if (iceProblem && !(pc && pc.connectionState === 'connected')) return 'error';
  if (presenterLive === false) return 'waiting';
  const pcState = pc ? pc.connectionState : 'new';
  if (retryPending || pcState === 'failed' || pcState === 'disconnected') {
    // Never connected and the API itself is unreachable: that is an error, not a reconnect.
    return !hadConnection && lastError instanceof ApiError && !lastError.fromServer ? 'error' : 'reconnecting';
  }
  if (pcState === 'connected') return 'live';
  return 'connecting';
}

const STATE_TEXT = {
  connecting: 'Connecting…',
  waiting: 'Waiting for the presenter…',
  live: 'Live',
  ended: 'The presentation has ended.',
  error: 'Something went wrong.',
  reconnecting: 'Reconnecting…',
};

function render() {
  const state = computeState();
  hooks.state = state;
  let title = STATE_TEXT[state];
  let detail = '';
  if (state === 'ended') title = endedMessage;
  else if (state === 'error') {
    if (fatal) {
      title = fatal.title;
      detail = fatal.detail;
    } else if (iceProblem) {
      title = 'The video cannot connect.';
      detail = `${iceProblem} Retrying automatically…`;
    } else {
      title = 'Cannot reach the server.';
      detail = `${lastError ? lastError.message : UNREACHABLE_MESSAGE} Retrying automatically…`;
    }
  } else if (state === 'waiting') {
    detail = eventsUp === false
      ? 'Lost contact with the server — reconnecting…'
      : 'The video starts as soon as the presenter shares their screen.';
  }
  else if (state === 'reconnecting' && lastError) detail = lastError.message;
  else if (state === 'live' && framesSinceLive === 0) detail = 'Starting video…';

  if (ui.state.textContent !== title) ui.state.textContent = title;
  ui.state.dataset.state = state;
  if (ui.detail.textContent !== detail) ui.detail.textContent = detail;
  ui.overlay.dataset.state = state;
  const playing = state === 'live' && framesSinceLive > 0;
  ui.overlay.hidden = playing && ui.play.hidden;
  ui.badge.hidden = state !== 'live';
  ui.stage.dataset.state = state;
  if (state !== 'live') ui.stage.classList.remove('idle');
  document.title = state === 'live' ? '● Live — Projector' : 'Projector — viewer';
}

// ------------------------------------------------------------ joining

/** @param {unknown} e */
function isGone(e) {
  // A 404 that carries the API's JSON error means the session is unknown or ended.
  return e instanceof ApiError && e.status === 404 && e.fromServer;
}

/** @param {string} [message] */
function end(message) {
  if (ended) return;
  ended = true;
  if (message) endedMessage = message;
  clearTimers();
  closePeer(false); // the server has already dropped the peers of an ended session
  if (events) { events.close(); events = null; }
  video.srcObject = null;
  render();
}

function clearTimers() {
  clearTimeout(retryTimer);
  clearTimeout(connectTimer);
  clearTimeout(noVideoTimer);
  retryTimer = connectTimer = noVideoTimer = 0;
  retryPending = false;
}

/** @param {boolean} notifyServer */
function closePeer(notifyServer) {
  if (watch) { watch.dispose(); watch = null; }
  if (whep) {
    if (notifyServer) whep.delete(); else whep.dispose();
    whep = null;
  }
  const old = pc;
  pc = null;
  hooks.pc = null;
  if (old) old.close();
}

/**
 * Schedules another WHEP attempt with backoff 0.5 s, 1 s, 2 s, 4 s, 5 s, 5 s…
 * @param {ApiError|Error|null} error
 */
function scheduleRetry(error) {
  if (ended || fatal) return;
  if (error) lastError = error;
  clearTimeout(retryTimer);
  clearTimeout(connectTimer);
  const delay = Math.min(5000, 500 * 2 ** attempt);
  attempt = Math.min(attempt + 1, 10);
  retryPending = true;
  retryTimer = setTimeout(() => { retryTimer = 0; join(); }, delay);
  render();
}

/** Retries right away (e.g. the presenter just went live). */
function retryNow() {
  if (ended || fatal) return;
  attempt = 0;
  clearTimeout(retryTimer);
  retryTimer = 0;
  join();
}

/** @param {RTCRtpReceiver} receiver */
function lowLatency(receiver) {
  const r = /** @type {any} */ (receiver);
  try { if ('jitterBufferTarget' in r) r.jitterBufferTarget = 0; } catch { /* unsupported value */ }
  try { if ('playoutDelayHint' in r) r.playoutDelayHint = 0; } catch { /* legacy API gone */ }
}

/**
 * `?layer=low|medium|high` or `?maxHeight=<px>` on the viewer link caps the simulcast layer the server sends
 * (e.g. a small preview tile), passed on to WHEP.
 * @returns {string}
 */
function layerQuery() {
  const q = new URLSearchParams();
  for (const k of ['layer', 'maxHeight']) {
    const v = params.get(k);
    if (v) q.set(k, v);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * @typedef {object} EarlyJoin what view.html's inline script started before this module ran
 * @property {string} id session id
 * @property {Promise<Response>} response the session lookup
 * @property {RTCPeerConnection|null} peer with its two transceivers and offer, or null
 * @property {RTCRtpTransceiver|null} video
 * @property {RTCRtpTransceiver|null} audio
 * @property {Promise<RTCSessionDescriptionInit>|null} offer
 * @property {Promise<Response|null>|null} posted the WHEP POST of that offer, or null when it was not sent
 * @property {any[]} iceEvents icecandidate / icecandidateerror events fired before viewer.js watched the peer
 * @property {MediaStream|null} stream what view.html attached to the video element, if it did
 * @property {number|null} firstFrameMs when that video element first presented a frame (performance.now())
 */

/**
 * The join view.html started, once (later joins start afresh).
 * @returns {EarlyJoin|null}
 */
function takeEarlyJoin() {
  const w = /** @type {any} */ (window);
  const early = /** @type {EarlyJoin|null} */ (w.projectorEarlyJoin);
  w.projectorEarlyJoin = null;
  return early && early.id === sessionId ? early : null;
}

async function join() {
  if (ended || fatal) return;
  const my = ++generation;
  retryPending = false;
  clearTimeout(connectTimer);
  clearTimeout(noVideoTimer);
  closePeer(true);
  render();

  // The session lookup and the peer connection's set-up overlap: joining is on the critical path of the
  // first frame. ICE servers from the lookup are applied before the offer starts gathering.
  // join=1: the server has a keyframe ready by the time this peer connects (docs/protocol.md). The first lookup
  // was started by view.html's inline script while this module loaded.
  const early = takeEarlyJoin();
  // view.html hid the "Connecting…" overlay for its own join's first frame; a later join shows it again.
  if (!early) delete ui.stage.dataset.early;
  const lookup = early ? jsonFrom(early.response)
    : apiJson('GET', `/api/sessions/${encodeURIComponent(sessionId)}?join=1`);
  // view.html may have set up the peer connection and sent its offer already (see there); else it starts here.
  const peer = early?.peer ?? new RTCPeerConnection(rtcConfiguration(iceServers));
  const vt = early?.video ?? peer.addTransceiver('video', { direction: 'recvonly' });
  const at = early?.audio ?? peer.addTransceiver('audio', { direction: 'recvonly' });
  // The offer is created while the lookup is in flight; gathering starts only at setLocalDescription, after the
  // ICE servers from the lookup are applied.
  const offer = early?.offer ?? peer.createOffer();
  offer.catch(() => { /* reported by negotiate() */ });
  let info;
  try {
    info = await lookup;
  } catch (e) {
    peer.close();
    if (my !== generation) return;
    if (isGone(e)) { end('This session does not exist or has ended.'); return; }
    scheduleRetry(/** @type {Error} */ (e));
    return;
  }
  if (my !== generation || ended) { peer.close(); return; }
  mark('lookup');
  if (info && typeof info.live === 'boolean') presenterLive = info.live;
  if (info && Array.isArray(info.iceServers)) iceServers = info.iceServers;
  if (info && typeof info.viewers === 'number') setAudience(info.viewers);
  if (!events) listen();
  if (iceServers.length) peer.setConfiguration({ ...peer.getConfiguration(), iceServers });
  const impossible = relayUnavailable(iceServers);
  if (impossible) {
    peer.close();
    fatal = { title: 'Cannot play this session.', detail: impossible };
    hooks.iceError = impossible;
    if (hooks.iceErrorAtMs === null) hooks.iceErrorAtMs = Math.round(performance.now());
    render();
    return;
  }

  pc = peer;
  hooks.pc = peer;
  pcCreatedAt = performance.now();
  const myWatch = new IceWatch(peer, iceServers, (why) => {
    if (my === generation && pc === peer && peer.connectionState !== 'connected') cannotConnect(why);
  }, early?.iceEvents ?? []);
  watch = myWatch;
  jbLast = { count: 0, delay: 0 };
  lowLatency(vt.receiver);
  lowLatency(at.receiver);
  framesSinceLive = 0;
  // view.html shows the early join's stream from the moment the <video> element exists; keep it, do not restart it.
  if (!(early && early.stream && video.srcObject === early.stream)) {
    video.srcObject = new MediaStream([vt.receiver.track, at.receiver.track]);
  }
  if (early) earlyJoin = early;
  playVideo();
  armFrameCallback();
  peer.addEventListener('connectionstatechange', () => onConnectionState(my, peer));
  // view.html's early join may have got this far (even connected) before this module ran.
  if (peer.connectionState !== 'new' && peer.connectionState !== 'connecting') onConnectionState(my, peer);

  try {
    const ready = await offer;
    mark('offer');
    whep = await negotiate(peer, `/whep/${encodeURIComponent(sessionId)}${layerQuery()}`,
      { offer: ready, onStep: mark, posted: early?.posted ?? null });
  } catch (e) {
    if (my !== generation) return;
    if (isGone(e)) { end('This session does not exist or has ended.'); return; }
    if (e instanceof ApiError && e.status >= 400 && e.status < 500 && ![404, 408, 409, 425, 429].includes(e.status)) {
      fatal = { title: 'Cannot play this session.', detail: e.message };
      closePeer(false);
      render();
      return;
    }
    scheduleRetry(/** @type {Error} */ (e));
    return;
  }
  if (my !== generation) { whep.delete(); return; }
  mark('answer');
  connectTimer = setTimeout(() => {
    if (my === generation && peer.connectionState !== 'connected') cannotConnect(myWatch.diagnose());
  }, CONNECT_TIMEOUT_MS);
  render();
}

/** @param {number} my @param {RTCPeerConnection} peer */
function onConnectionState(my, peer) {
  if (my !== generation || pc !== peer) return;
  const s = peer.connectionState;
  if (s === 'connected') {
    clearTimeout(connectTimer);
    if (hooks.connectMs === null) hooks.connectMs = Math.round(performance.now() - pcCreatedAt);
    mark('connected');
    iceProblem = null;
    hooks.iceError = null;
    hooks.iceErrorAtMs = null;
    hadConnection = true;
    attempt = 0;
    lastError = null;
    expectVideo();
  } else if (s === 'failed' && !hadConnection && watch) {
    cannotConnect(watch.diagnose());
  } else if (s === 'failed' || s === 'closed') {
    // 'closed' here was not our doing (we detach before closing): the server ended the peer.
    scheduleRetry(new Error('The media connection failed.'));
  } else if (s === 'disconnected') {
    scheduleRetry(new Error('The media connection was interrupted.'));
  }
  render();
}

/**
 * Media cannot connect (diagnosed by IceWatch): show why, and keep retrying with backoff, since the network
 * may change (VPN off, another Wi-Fi) and each attempt fetches fresh TURN credentials.
 * @param {string} why
 */
function cannotConnect(why) {
  iceProblem = why;
  hooks.iceError = why;
  if (hooks.iceErrorAtMs === null) hooks.iceErrorAtMs = Math.round(performance.now());
  scheduleRetry(new Error(why));
}

/** If the presenter is live but no frame arrives soon, join again. */
function expectVideo() {
  clearTimeout(noVideoTimer);
  if (presenterLive !== true || !pc || pc.connectionState !== 'connected') return;
  const seen = framesSinceLive;
  const my = generation;
  noVideoTimer = setTimeout(() => {
    if (my === generation && presenterLive === true && framesSinceLive === seen && seen === 0) retryNow();
  }, NO_VIDEO_TIMEOUT_MS);
}

function listen() {
  events = new SessionEvents(sessionId, {
    onConnection(up) {
      eventsUp = up;
      render();
    },
    onMessage(msg) {
      switch (msg.type) {
        case 'hello':
          if (msg.session && typeof msg.session.live === 'boolean') setPresenterLive(msg.session.live);
          if (msg.session && typeof msg.session.viewers === 'number') setAudience(msg.session.viewers);
          break;
        case 'presenter':
          if (typeof msg.live === 'boolean') setPresenterLive(msg.live);
          break;
        case 'viewers':
          if (typeof msg.count === 'number') setAudience(msg.count);
          break;
        case 'ended':
          end(msg.reason === 'expired' ? 'The presentation has ended (the session expired).' : 'The presentation has ended.');
          break;
        case 'error':
          if (msg.code === 'session_not_found') end('This session does not exist or has ended.');
          break;
        default:
          break;
      }
    },
  });
}

/** @param {boolean} live */
function setPresenterLive(live) {
  const was = presenterLive;
  presenterLive = live;
  if (live && was !== true) {
    framesSinceLive = 0;
    if (retryPending) retryNow();
    else expectVideo();
  }
  render();
}

/** @param {number} n viewers currently watching */
function setAudience(n) {
  ui.audience.textContent = n > 0 ? `${n} watching` : '';
}

// ------------------------------------------------------------ playback

function playVideo() {
  const p = video.play();
  if (p && typeof p.catch === 'function') {
    p.then(() => { ui.play.hidden = true; render(); }).catch((e) => {
      if (e && e.name === 'NotAllowedError') { ui.play.hidden = false; render(); }
    });
  }
}

/** The early join this page's first connection took over, if any (for its first-frame time). @type {EarlyJoin|null} */
let earlyJoin = null;
const reader = DECODE ? new MarkerReader() : null;
const hasRvfc = 'requestVideoFrameCallback' in HTMLVideoElement.prototype;
let rvfcPending = false;
let lastTotalFrames = 0;

function armFrameCallback() {
  if (hasRvfc) {
    if (rvfcPending) return;
    rvfcPending = true;
    video.requestVideoFrameCallback(onVideoFrame);
  } else if (!rvfcPending) {
    // Fallback: poll on animation frames and count decoded frames.
    rvfcPending = true;
    const poll = () => {
      const q = video.getVideoPlaybackQuality ? video.getVideoPlaybackQuality() : null;
      const total = q ? q.totalVideoFrames - q.droppedVideoFrames : 0;
      if (total > lastTotalFrames) {
        lastTotalFrames = total;
        frameArrived(performance.now());
      } else if (total < lastTotalFrames) lastTotalFrames = total;
      requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  }
}

/**
 * @param {DOMHighResTimeStamp} now
 * @param {VideoFrameCallbackMetadata} meta
 */
function onVideoFrame(now, meta) {
  rvfcPending = false;
  frameArrived(meta && meta.expectedDisplayTime ? meta.expectedDisplayTime : now, meta && meta.receiveTime,
    meta && meta.presentationTime);
  armFrameCallback();
}

/**
 * @param {number} displayTime performance.now()-based time the frame reaches the screen
 * @param {number} [receiveTime] performance.now()-based time its last packet arrived (WebRTC frames)
 * @param {number} [presentationTime] performance.now()-based time the browser handed it to the compositor
 */
function frameArrived(displayTime, receiveTime, presentationTime) {
  const perfNow = performance.now();
  stats.framesRendered++;
  if (stats.firstFrameMs === null) {
    // Shown before this module watched the video (view.html's early join)? Then that is when it was first seen.
    stats.firstFrameMs = earlyJoin && earlyJoin.firstFrameMs !== null ? earlyJoin.firstFrameMs : perfNow;
    mark('firstFrame');
  }
  const w = video.videoWidth;
  const h = video.videoHeight;
  stats.width = w;
  stats.height = h;
  if (framesSinceLive++ === 0) render();
  if (!reader || !w || !h) return;
  // Glass time on this side: now, plus the wait until the compositor shows the frame.
  const shownAt = Date.now() + Math.min(50, Math.max(0, displayTime - perfNow));
  let result = null;
  try { result = reader.read(video, w, h); } catch { result = null; }
  const value = result && result.value;
  if (!value) {
    if (!result || result.blank) stats.markerMissing++; else stats.markerErrors++;
    return;
  }
  stats.markerFrames++;
  stats.lastMarker = value;
  stats.latenciesMs.push(shownAt - value.timeMs);
  // Of that, the part after the frame's last packet arrived (jitter buffer, decode, render): NaN when unknown.
  const epochOffset = Date.now() - performance.now();
  stats.receivedToShownMs.push(receiveTime ? shownAt - (epochOffset + receiveTime) : NaN);
  // ... and of that, the part after the browser handed the frame to its compositor.
  stats.presentedToShownMs.push(presentationTime ? shownAt - (epochOffset + presentationTime) : NaN);
  if (stats.latenciesMs.length > MAX_LATENCIES) {
    stats.latenciesMs.splice(0, stats.latenciesMs.length - MAX_LATENCIES);
    stats.receivedToShownMs.splice(0, stats.receivedToShownMs.length - MAX_LATENCIES);
    stats.presentedToShownMs.splice(0, stats.presentedToShownMs.length - MAX_LATENCIES);
  }
}

// ------------------------------------------------------------ stats overlay

/** @param {number[]} values @param {number} q 0..1 */
function quantile(values, q) {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

let lastFrames = 0;
let lastStatsAt = performance.now();
/** previous cumulative jitter buffer counters, for a per-interval average */
let jbLast = { count: 0, delay: 0 };

async function updateStats() {
  const now = performance.now();
  const fps = ((stats.framesRendered - lastFrames) * 1000) / (now - lastStatsAt);
  lastFrames = stats.framesRendered;
  lastStatsAt = now;
  const rows = [];
  const lat = stats.latenciesMs;
  const last = lat.length ? lat[lat.length - 1] : NaN;
  const p50 = quantile(lat.slice(-100), 0.5);
  rows.push(['Glass-to-glass', Number.isFinite(last) ? `${Math.round(last)} ms` : '—',
    Number.isFinite(p50) ? `p50 ${Math.round(p50)} ms` : '']);
  rows.push(['FPS', fps.toFixed(1), stats.width ? `${stats.width}×${stats.height}` : '']);

  let decoded = '—';
  let dropped = '';
  let jitter = '—';
  let rtt = '';
  let pair = '—';
  let via = RELAY_ONLY ? 'relay only' : '';
  if (pc) {
    try {
      const report = await pc.getStats();
      report.forEach((/** @type {any} */ s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video') {
          decoded = String(s.framesDecoded ?? '—');
          if (typeof s.framesDropped === 'number') dropped = `dropped ${s.framesDropped}`;
          const count = (s.jitterBufferEmittedCount || 0) - jbLast.count;
          const delay = (s.jitterBufferDelay || 0) - jbLast.delay;
          if (count > 0) jitter = `${Math.round((delay / count) * 1000)} ms`;
          jbLast = { count: s.jitterBufferEmittedCount || 0, delay: s.jitterBufferDelay || 0 };
        }
      });
      const sel = await selectedPair(pc);
      if (sel) {
        // e.g. "relay ↔ host (tls)": the path the media takes, for diagnosing networks (docs/nat.md).
        pair = `${sel.local} ↔ ${sel.remote} (${sel.relayProtocol || sel.protocol})`;
        via = `${sel.localAddress} → ${sel.remoteAddress}${RELAY_ONLY ? ' · relay only' : ''}`;
        if (sel.rttMs !== null) rtt = `RTT ${sel.rttMs} ms`;
      }
    } catch { /* pc closed meanwhile */ }
  }
  rows.push(['Frames decoded', decoded, dropped]);
  rows.push(['Jitter buffer', jitter, rtt]);
  rows.push(['ICE pair', pair, via]);
  const bad = [stats.markerErrors ? `${stats.markerErrors} bad` : '', stats.markerMissing ? `${stats.markerMissing} none` : '']
    .filter(Boolean).join(' · ');
  rows.push(['Marker', `${stats.markerFrames} ok`, bad]);

  const table = document.createElement('table');
  for (const [k, v, extra] of rows) {
    const tr = table.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = k;
    tr.append(th);
    tr.insertCell().textContent = v;
    tr.insertCell().textContent = extra;
  }
  ui.stats.replaceChildren(table);
}

// ------------------------------------------------------------ controls

function updateMuteButton() {
  const label = video.muted ? 'Unmute' : 'Mute';
  ui.unmute.querySelector('span').textContent = label;
  ui.unmute.setAttribute('aria-label', label);
  ui.unmute.setAttribute('aria-pressed', String(!video.muted));
  ui.unmute.classList.toggle('muted', video.muted);
}

function toggleMute() {
  video.muted = !video.muted;
  if (!video.muted) playVideo();
  updateMuteButton();
}

function isFullscreen() {
  const d = /** @type {any} */ (document);
  return !!(document.fullscreenElement || d.webkitFullscreenElement);
}

function toggleFullscreen() {
  const d = /** @type {any} */ (document);
  const el = /** @type {any} */ (ui.stage);
  if (isFullscreen()) {
    (document.exitFullscreen || d.webkitExitFullscreen).call(document);
    return;
  }
  const req = el.requestFullscreen || el.webkitRequestFullscreen;
  if (req) {
    const p = req.call(el);
    if (p && p.catch) p.catch(() => {});
  } else if (/** @type {any} */ (video).webkitEnterFullscreen) {
    /** @type {any} */ (video).webkitEnterFullscreen(); // iOS Safari
  }
}

function updateFullscreenButton() {
  const label = isFullscreen() ? 'Exit fullscreen' : 'Fullscreen';
  ui.fullscreen.querySelector('span').textContent = label;
  ui.fullscreen.setAttribute('aria-label', label);
}

let idleTimer = 0;
function wake() {
  ui.stage.classList.remove('idle');
  clearTimeout(idleTimer);
  idleTimer = window.setTimeout(() => {
    if (hooks.state === 'live' && !ui.stage.matches(':focus-within')) ui.stage.classList.add('idle');
  }, 3000);
}

ui.unmute.addEventListener('click', toggleMute);
ui.unmute.title = 'Mute or unmute (M)';
ui.fullscreen.title = 'Fullscreen (F, or double-click the video)';
ui.fullscreen.addEventListener('click', toggleFullscreen);
ui.play.addEventListener('click', () => { ui.play.hidden = true; playVideo(); render(); });
video.addEventListener('dblclick', toggleFullscreen);
video.addEventListener('playing', armFrameCallback);
video.addEventListener('volumechange', updateMuteButton);
document.addEventListener('fullscreenchange', updateFullscreenButton);
document.addEventListener('webkitfullscreenchange', updateFullscreenButton);
ui.stage.addEventListener('pointermove', wake);
ui.stage.addEventListener('pointerdown', wake);
// Any key shows the controls, wherever the focus is: faded controls are not focusable (visibility: hidden), so Tab
// must bring them back before it moves the focus.
document.addEventListener('keydown', wake, { capture: true });
document.addEventListener('keydown', (ev) => {
  if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.target instanceof HTMLInputElement) return;
  if (ev.key === 'f' || ev.key === 'F') toggleFullscreen();
  else if (ev.key === 'm' || ev.key === 'M') toggleMute();
  else return;
  wake();
});
window.addEventListener('pagehide', () => {
  if (whep) { whep.delete({ keepalive: true }); whep = null; }
  if (events) { events.close(); events = null; }
});
window.addEventListener('pageshow', (ev) => {
  // Restored from the back/forward cache: the peer is gone, join again.
  if (ev.persisted && !ended) retryNow();
});

// ------------------------------------------------------------ start

updateMuteButton();
if (DECODE) {
  ui.stats.hidden = false;
  updateStats();
  setInterval(updateStats, 1000);
}
setInterval(render, 1000);
wake();
if (!sessionId) {
  fatal = { title: 'This link is incomplete.', detail: 'It has no session id. Ask the presenter for the full viewer link.' };
  render();
} else if (typeof RTCPeerConnection !== 'function') {
  fatal = { title: 'This browser cannot play live video.', detail: 'WebRTC is not available. Use a recent Chrome, Edge, Firefox or Safari.' };
  render();
} else {
  join();
}
