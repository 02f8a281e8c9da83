/**
 * Presenter page: creates (or reuses) a session, captures the screen and
 * publishes it over WHIP.
 *
 * URL parameters:
 *   surface=browser  prefer capturing this tab, at the page's size
 *   marker=1         paint the latency strip on every frame and show test content
 *   autostart=1      start without a click (only when capture needs no gesture)
 *   relay=1          connect through the TURN relay only (see ice.js)
 *
 * Automation hooks live in `window.projector` (see PresenterHooks).
 *
 * @module presenter
 */
import { ApiError, apiJson, negotiate, UNREACHABLE_MESSAGE } from './whip.js';
import { SessionEvents } from './events.js';
import { startMarkerPainter } from './marker.js';
import { IceWatch, RELAY_ONLY, relayUnavailable, rtcConfiguration, selectedPair } from './ice.js';

/**
 * @typedef {'idle'|'starting'|'live'|'stopped'|'error'} PresenterState
 * @typedef {object} PresenterHooks
 * @property {PresenterState} state
 * @property {string|null} sessionId
 * @property {string|null} viewerUrl absolute viewer link
 * @property {RTCPeerConnection|null} pc
 * @property {MediaTrackSettings|null} trackSettings settings of the captured video track
 * @property {number} viewers last viewer count from the events socket
 * @property {string|null} error last error message, null when none
 * @property {number|null} iceErrorAtMs performance.now() when iceError was first shown
 * @property {string|null} iceError why media could not connect (diagnosis), null when it did
 * @property {number|null} connectMs from creating the peer connection to ICE+DTLS connected
 * @property {boolean} relay relay-only mode (?relay=1)
 * @property {() => Promise<object|null>} selectedPair the selected ICE candidate pair (see ice.js)
 * @property {string[]|null} activeLayers simulcast rids the page last set active, null before it set any
 */

const params = new URLSearchParams(location.search);
const OPTIONS = {
  surface: params.get('surface'),
  marker: params.get('marker') === '1',
  autostart: params.get('autostart') === '1',
  // Simulcast (three resolutions) lets the server give each viewer what its network carries; ?simulcast=0 sends one.
  simulcast: params.get('simulcast') !== '0',
};
if (params.get('mode') === 'motion' || params.get('mode') === 'text') {
  const radio = /** @type {HTMLInputElement|null} */ (document.querySelector(`input[name=mode][value=${params.get('mode')}]`));
  if (radio) radio.checked = true;
}
if (['5', '15', '30', '60'].includes(params.get('fps') || '')) {
  /** @type {HTMLSelectElement} */ (document.getElementById('fps')).value = /** @type {string} */ (params.get('fps'));
}

/**
 * The presenter's quality choice. "text": the encoder keeps full resolution and drops frames when bandwidth is
 * short (sharp text); "motion": it keeps the frame rate and lowers resolution instead.
 * @returns {{mode: 'text'|'motion', fps: number}}
 */
function quality() {
  const checked = /** @type {HTMLInputElement|null} */ (document.querySelector('input[name=mode]:checked'));
  const fps = Number(/** @type {HTMLSelectElement} */ (document.getElementById('fps')).value) || 30;
  return { mode: checked && checked.value === 'motion' ? 'motion' : 'text', fps };
}

/**
 * The simulcast layers (rids) the server advised this page to send (a `layers` event), null until it has: all
 * are sent. The server pauses a middle layer nobody could watch, since every layer costs encoder time on every
 * frame (see docs/protocol.md).
 * @type {string[]|null}
 */
let advisedRids = null;

/**
 * Applies the quality choice to the captured track and the video sender (also while live).
 * @param {MediaStreamTrack|null} track
 * @param {RTCRtpSender|null} sender
 */
async function applyQuality(track, sender) {
  const q = quality();
  if (track) {
    if ('contentHint' in track) track.contentHint = q.mode === 'text' ? 'detail' : 'motion';
    try { await track.applyConstraints({ frameRate: { ideal: q.fps, max: q.fps } }); } catch { /* keep the browser's rate */ }
  }
  if (sender) updateSender(sender);
}

/** @type {Promise<void>} */
let senderUpdates = Promise.resolve();

/**
 * Sets the sender's parameters from the quality choice and the layer advice. Calls are chained: two
 * setParameters in flight would make the second one fail.
 * @param {RTCRtpSender} sender
 * @returns {Promise<void>}
 */
function updateSender(sender) {
  senderUpdates = senderUpdates.then(async () => {
    if (sender !== videoSender) return;
    const q = quality();
    const p = sender.getParameters();
    /** @type {any} */ (p).degradationPreference = q.mode === 'text' ? 'maintain-resolution' : 'maintain-framerate';
    const encodings = p.encodings || [];
    const advised = advisedRids && encodings.some((e) => e.rid && advisedRids.includes(e.rid)) ? advisedRids : null;
    for (const e of encodings) {
      e.maxFramerate = q.fps;
      if (e.rid) e.active = !advised || advised.includes(e.rid);
    }
    try {
      await sender.setParameters(p);
    } catch { /* older browsers: the content hint still applies */ }
    hooks.activeLayers = encodings.filter((e) => e.rid && e.active !== false).map((e) => /** @type {string} */ (e.rid));
  });
  return senderUpdates;
}

/** @param {unknown} rids the `active` list of a layers event (or hello.session.layers) */
function onLayerAdvice(rids) {
  if (!Array.isArray(rids) || !rids.every((r) => typeof r === 'string')) return;
  advisedRids = rids;
  if (videoSender && OPTIONS.simulcast) updateSender(videoSender);
}

/** @type {RTCRtpSender|null} */
let videoSender = null;
document.querySelectorAll('input[name=mode], #fps').forEach((el) => el.addEventListener('change', () => {
  const track = pc && videoSender ? videoSender.track : null;
  applyQuality(track, videoSender);
}));
const CONNECT_TIMEOUT_MS = 15000;

/** @type {PresenterHooks} */
const hooks = {
  state: 'idle', sessionId: null, viewerUrl: null, pc: null,
  trackSettings: null, viewers: 0, error: null, iceError: null, iceErrorAtMs: null, connectMs: null, relay: RELAY_ONLY,
  selectedPair: () => selectedPair(pc), activeLayers: null,
};
/** @type {any} */ (window).projector = hooks;

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const ui = {
  pill: $('pill'),
  status: $('status'),
  start: /** @type {HTMLButtonElement} */ ($('start')),
  retry: /** @type {HTMLButtonElement} */ ($('retry')),
  stop: /** @type {HTMLButtonElement} */ ($('stop')),
  share: $('share'),
  link: /** @type {HTMLInputElement} */ ($('link')),
  copy: /** @type {HTMLButtonElement} */ ($('copy')),
  viewers: $('viewers'),
  openViewer: /** @type {HTMLAnchorElement} */ ($('open-viewer')),
  preview: /** @type {HTMLVideoElement} */ ($('preview')),
};

/** @type {{id: string, key: string|null}|null} session known from the URL or created here */
let session = null;
/** @type {MediaStream|null} */
let stream = null;
/** @type {RTCPeerConnection|null} */
let pc = null;
/** @type {import('./whip.js').WhipResource|null} */
let whip = null;
/** @type {IceWatch|null} */
let watch = null;
let pcCreatedAt = 0;
/** @type {SessionEvents|null} */
let events = null;
/** @type {RTCIceServer[]} */
let iceServers = [];
/** @type {ReturnType<typeof setTimeout>|0} */
let connectTimer = 0;
/** Incremented by every start/stop so that stale async work can bail out. */
let run = 0;

// ---------------------------------------------------------------- UI state

const PILL_TEXT = {
  idle: 'Not sharing', starting: 'Connecting…', live: 'Live', stopped: 'Stopped', error: 'Error',
};

/**
 * @param {PresenterState} state
 * @param {string} message status line
 * @param {{error?: boolean}} [opts] error: message is an error (stored in hooks.error)
 */
function setState(state, message, opts = {}) {
  hooks.state = state;
  hooks.error = opts.error ? message : null;
  ui.status.textContent = message;
  ui.status.dataset.state = opts.error ? 'error' : state;
  ui.pill.textContent = PILL_TEXT[state];
  ui.pill.dataset.state = state;
  const active = state === 'starting' || state === 'live';
  ui.start.hidden = active || (state === 'error' && !!stream);
  ui.start.querySelector('span').textContent = state === 'stopped' ? 'Start a new session' : 'Start sharing';
  ui.stop.hidden = !(active || (state === 'error' && !!stream));
  ui.retry.hidden = !(state === 'error' && !!stream);
  document.title = state === 'live' ? '● Live — Projector' : 'Projector — share your screen';
}

/** @param {string|null} id */
function showLink(id) {
  if (!id) {
    ui.share.hidden = true;
    hooks.viewerUrl = null;
    return;
  }
  const url = `${location.origin}/view/${encodeURIComponent(id)}`;
  hooks.viewerUrl = url;
  ui.link.value = url;
  ui.openViewer.href = OPTIONS.marker ? `${url}?marker=1` : url;
  ui.share.hidden = false;
}

/** @param {number} n */
function setViewers(n) {
  hooks.viewers = n;
  ui.viewers.textContent = n === 0 ? 'No viewers yet' : n === 1 ? '1 viewer' : `${n} viewers`;
}

/** @param {unknown} e @returns {string} */
function messageOf(e) {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error && e.message) return e.message;
  return String(e);
}

// ---------------------------------------------------------------- session

/** @param {string} id */
const storageKey = (id) => `projector.presenterKey.${id}`;

/**
 * A page opened as /present/<id>#key=<key> reuses that session. The key is kept
 * in sessionStorage and removed from the address bar, which may be visible in
 * the screen share itself.
 * @returns {{id: string, key: string|null}|null}
 */
function sessionFromUrl() {
  const m = location.pathname.match(/^\/present\/([A-Za-z0-9_-]+)\/?$/);
  if (!m) return null;
  const id = m[1];
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('key');
  let key = null;
  try {
    if (fromHash) sessionStorage.setItem(storageKey(id), fromHash);
    key = fromHash || sessionStorage.getItem(storageKey(id));
  } catch {
    key = fromHash;
  }
  if (fromHash) history.replaceState(null, '', location.pathname + location.search);
  return { id, key };
}

/** @param {{id: string, key: string}} s */
function rememberSession(s) {
  try { sessionStorage.setItem(storageKey(s.id), s.key); } catch { /* storage disabled */ }
  history.replaceState(null, '', `/present/${encodeURIComponent(s.id)}${location.search}`);
}

function forgetSession() {
  if (session) {
    try { sessionStorage.removeItem(storageKey(session.id)); } catch { /* storage disabled */ }
  }
  session = null;
  if (location.pathname !== '/') history.replaceState(null, '', `/${location.search}`);
}

/**
 * Reuses the session from the URL when it still exists, otherwise creates one.
 * @returns {Promise<{id: string, key: string}>}
 */
async function ensureSession() {
  if (session && session.key) {
    try {
      const info = await apiJson('GET', `/api/sessions/${encodeURIComponent(session.id)}`);
      iceServers = Array.isArray(info?.iceServers) ? info.iceServers : [];
      return /** @type {{id: string, key: string}} */ (session);
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 404) throw e;
      forgetSession(); // ended or unknown: start a fresh one below
    }
  }
  const created = await apiJson('POST', '/api/sessions', { body: {} });
  if (!created || typeof created.id !== 'string' || typeof created.presenterKey !== 'string') {
    throw new ApiError(500, 'bad_response', 'The server did not return a session.');
  }
  session = { id: created.id, key: created.presenterKey };
  rememberSession(session);
  const info = await apiJson('GET', `/api/sessions/${encodeURIComponent(session.id)}`);
  iceServers = Array.isArray(info?.iceServers) ? info.iceServers : [];
  return session;
}

// ---------------------------------------------------------------- capture

/**
 * @param {boolean} audio
 * @returns {DisplayMediaStreamOptions & Record<string, unknown>}
 */
function displayMediaOptions(audio) {
  /** @type {MediaTrackConstraints & Record<string, unknown>} */
  const video = { frameRate: { ideal: quality().fps, max: quality().fps } };
  /** @type {Record<string, unknown>} */
  const opts = { video, audio, surfaceSwitching: 'include' };
  if (audio) opts.systemAudio = 'include';
  if (OPTIONS.surface === 'browser') {
    video.displaySurface = 'browser';
    video.width = { ideal: window.innerWidth };
    video.height = { ideal: window.innerHeight };
    opts.selfBrowserSurface = 'include';
    opts.preferCurrentTab = true;
  }
  return opts;
}

/**
 * Must be called synchronously from the click handler (user activation).
 * @returns {Promise<MediaStream>}
 */
async function capture() {
  const md = navigator.mediaDevices;
  if (!md || typeof md.getDisplayMedia !== 'function') {
    throw new Error(window.isSecureContext
      ? 'This browser cannot share the screen. Use a recent Chrome, Edge or Firefox on a desktop computer.'
      : 'Screen sharing needs a secure page: open Projector over HTTPS (or on localhost).');
  }
  try {
    return await md.getDisplayMedia(displayMediaOptions(true));
  } catch (e) {
    const name = e instanceof DOMException ? e.name : '';
    if (name === 'NotAllowedError' || name === 'AbortError' || name === 'InvalidStateError') throw e;
    // Audio capture unsupported or failed: share the screen without sound.
    return md.getDisplayMedia(displayMediaOptions(false));
  }
}

// ---------------------------------------------------------------- flow

async function start() {
  if (hooks.state === 'starting' || hooks.state === 'live') return;
  const my = ++run;
  setState('starting', 'Choose a screen, window or tab to share…');
  const capturing = capture(); // synchronous call inside the click: keeps user activation
  const sessionReady = ensureSession();
  sessionReady.catch(() => {}); // handled below; avoid an unhandled rejection while capturing
  sessionReady.then((s) => { if (my === run) { showLink(s.id); hooks.sessionId = s.id; } }, () => {});

  try {
    stream = await capturing;
  } catch (e) {
    if (my !== run) return;
    stream = null;
    const name = e instanceof DOMException ? e.name : '';
    if (name === 'NotAllowedError' || name === 'AbortError') {
      setState('idle', 'Screen sharing was cancelled or not allowed. Click “Start sharing” to try again.');
    } else if (name === 'InvalidStateError') {
      setState('idle', 'Click “Start sharing” to choose what to share.');
    } else {
      setState('error', `Could not capture the screen: ${messageOf(e)}`, { error: true });
    }
    return;
  }
  if (my !== run) { stopTracks(); return; }

  const video = stream.getVideoTracks()[0];
  if (!video) {
    stopTracks();
    setState('error', 'The browser returned no video to share.', { error: true });
    return;
  }
  if ('contentHint' in video) video.contentHint = quality().mode === 'text' ? 'detail' : 'motion';
  hooks.trackSettings = video.getSettings();
  // The browser's own "Stop sharing" control ends the video track.
  video.addEventListener('ended', () => {
    if (my === run && (hooks.state === 'starting' || hooks.state === 'live' || hooks.state === 'error')) {
      stop('Sharing stopped from the browser. The session has ended for all viewers.');
    }
  }, { once: true });
  if (OPTIONS.surface !== 'browser') {
    ui.preview.srcObject = stream;
    ui.preview.hidden = false;
  }

  setState('starting', 'Connecting…');
  let s;
  try {
    s = await sessionReady;
  } catch (e) {
    if (my !== run) return;
    failed(e);
    return;
  }
  if (my !== run) return;
  hooks.sessionId = s.id;
  showLink(s.id);
  listen(s.id);
  await publish(my);
}

/** Opens the events socket for the viewer count and session end. @param {string} id */
function listen(id) {
  if (events) return;
  events = new SessionEvents(id, {
    onMessage(msg) {
      if (msg.type === 'hello' && msg.session && typeof msg.session.viewers === 'number') {
        setViewers(msg.session.viewers);
        if (msg.session.layers) onLayerAdvice(msg.session.layers);
      } else if (msg.type === 'viewers' && typeof msg.count === 'number') setViewers(msg.count);
      else if (msg.type === 'layers') onLayerAdvice(msg.active);
      else if (msg.type === 'ended') {
        const why = msg.reason === 'expired' ? 'The session expired.' : 'The session was ended by the server.';
        stop(`${why} Start sharing again to create a new session.`, { endSession: false });
      }
    },
  });
}

/** (Re)creates the peer connection and publishes the captured tracks over WHIP. @param {number} my */
async function publish(my) {
  closePeer();
  if (!stream || !session || !session.key) return;
  const id = session.id;
  const key = session.key;
  const impossible = relayUnavailable(iceServers);
  if (impossible) {
    hooks.iceError = impossible;
    if (hooks.iceErrorAtMs === null) hooks.iceErrorAtMs = Math.round(performance.now());
    failed(new Error(impossible));
    return;
  }
  const peer = new RTCPeerConnection(rtcConfiguration(iceServers));
  pc = peer;
  hooks.pc = peer;
  hooks.connectMs = null;
  pcCreatedAt = performance.now();
  const myWatch = new IceWatch(peer, iceServers, (why) => {
    if (my === run && pc === peer && peer.connectionState !== 'connected') iceFailed(why);
  });
  watch = myWatch;
  const [video] = stream.getVideoTracks();
  const [audio] = stream.getAudioTracks();
  /** @type {RTCRtpTransceiverInit} */
  const init = { direction: 'sendonly', streams: [stream] };
  if (OPTIONS.simulcast) {
    // Lowest first: the server reads the rids in this order. Each viewer gets the largest layer its path carries.
    init.sendEncodings = [
      { rid: 'q', scaleResolutionDownBy: 4 },
      { rid: 'h', scaleResolutionDownBy: 2 },
      { rid: 'f' },
    ];
  }
  const transceiver = peer.addTransceiver(video, init);
  videoSender = transceiver.sender;
  advisedRids = null; // a new presenter peer: the server advises it afresh once it is connected
  applyQuality(video, videoSender);
  if (audio) peer.addTransceiver(audio, { direction: 'sendonly', streams: [stream] });
  peer.addEventListener('connectionstatechange', () => onConnectionState(my, peer));

  setState('starting', 'Connecting…');
  try {
    whip = await negotiate(peer, `/whip/${encodeURIComponent(id)}`, { token: key });
  } catch (e) {
    if (my !== run || pc !== peer) return;
    if (e instanceof ApiError && e.status === 401) {
      failed(new ApiError(401, e.code, `${e.message} (the presenter key was not accepted).`));
    } else {
      failed(e);
    }
    return;
  }
  if (my !== run || pc !== peer) { whip.delete(); return; }
  clearTimeout(connectTimer);
  connectTimer = setTimeout(() => {
    if (my === run && pc === peer && peer.connectionState !== 'connected') iceFailed(myWatch.diagnose());
  }, CONNECT_TIMEOUT_MS);
  onConnectionState(my, peer);
}

/** @param {number} my @param {RTCPeerConnection} peer */
function onConnectionState(my, peer) {
  if (my !== run || pc !== peer) return;
  switch (peer.connectionState) {
    case 'connected':
      clearTimeout(connectTimer);
      if (hooks.connectMs === null) hooks.connectMs = Math.round(performance.now() - pcCreatedAt);
      hooks.iceError = null;
      hooks.iceErrorAtMs = null;
      if (stream) hooks.trackSettings = stream.getVideoTracks()[0]?.getSettings() ?? hooks.trackSettings;
      setState('live', 'Live — viewers with the link are watching your screen.');
      break;
    case 'disconnected':
      setState('live', 'Connection to the server interrupted — trying to recover…');
      break;
    case 'failed':
      if (watch) iceFailed(watch.diagnose());
      break;
    case 'closed': // not closed by us (we detach first): the server dropped the peer
      clearTimeout(connectTimer);
      setState('error', 'The server closed the media connection. Click “Retry” to publish again.', { error: true });
      break;
    default:
      break;
  }
}

/** @param {string} why diagnosis from IceWatch */
function iceFailed(why) {
  clearTimeout(connectTimer);
  hooks.iceError = why;
  if (hooks.iceErrorAtMs === null) hooks.iceErrorAtMs = Math.round(performance.now());
  setState('error', `${why} Click “Retry” to try again.`, { error: true });
}

/** @param {unknown} e */
function failed(e) {
  let msg = messageOf(e);
  if (e instanceof ApiError && e.status === 0) msg = UNREACHABLE_MESSAGE;
  setState('error', msg, { error: true });
  if (!stream) return;
  ui.retry.hidden = false;
}

async function retry() {
  if (!stream || stream.getVideoTracks().every((t) => t.readyState === 'ended')) {
    stopTracks();
    start();
    return;
  }
  const my = run;
  setState('starting', 'Connecting…');
  try {
    const s = await ensureSession();
    if (my !== run) return;
    hooks.sessionId = s.id;
    showLink(s.id);
    listen(s.id);
  } catch (e) {
    if (my === run) failed(e);
    return;
  }
  await publish(my);
}

function closePeer() {
  clearTimeout(connectTimer);
  if (whip) { whip.dispose(); whip = null; }
  if (watch) { watch.dispose(); watch = null; }
  const old = pc;
  pc = null;
  hooks.pc = null;
  if (old) old.close();
}

function stopTracks() {
  if (stream) for (const t of stream.getTracks()) t.stop();
  stream = null;
  ui.preview.srcObject = null;
  ui.preview.hidden = true;
}

/**
 * Ends sharing: deletes the session on the server (unless it already ended),
 * closes the peer connection and stops the capture.
 * @param {string} message
 * @param {{endSession?: boolean}} [opts]
 */
async function stop(message, opts = {}) {
  run++;
  const ending = session;
  if (whip) { whip.dispose(); whip = null; }
  closePeer();
  stopTracks();
  if (events) { events.close(); events = null; }
  setViewers(0);
  showLink(null);
  forgetSession();
  setState('stopped', message);
  if (opts.endSession !== false && ending && ending.key) {
    try {
      await apiJson('DELETE', `/api/sessions/${encodeURIComponent(ending.id)}`, { token: ending.key });
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 404) {
        setState('stopped', `Sharing stopped, but the server could not be told to end the session: ${messageOf(e)}`);
      }
    }
  }
}

// ---------------------------------------------------------------- copy link

async function copyLink() {
  const text = ui.link.value;
  let ok = false;
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      ok = true;
    }
  } catch { /* permission denied: fall back */ }
  if (!ok) {
    ui.link.focus();
    ui.link.select();
    try { ok = document.execCommand('copy'); } catch { ok = false; }
  }
  const label = ok ? 'Copied!' : 'Press Ctrl+C';
  ui.copy.textContent = label;
  ui.copy.classList.toggle('copied', ok);
  setTimeout(() => {
    ui.copy.textContent = 'Copy link';
    ui.copy.classList.remove('copied');
  }, 1800);
}

// ---------------------------------------------------------------- test content

function startDemoContent() {
  const demo = $('demo');
  const clock = $('demo-clock');
  const frame = $('demo-frame');
  const log = $('demo-log');
  demo.hidden = false;
  // Sample text only (it changes so the encoder has fresh detail to send); these are not live events.
  const lines = [
    'Sample line: small text must stay readable on every viewer.',
    'Sample line: the quick brown fox jumps over the lazy dog 0123456789.',
    'Sample line: fn main() { println!("{}", 6 * 7); } // code is text too.',
    'Sample line: | column A | column B | 3.14159 | 2.71828 |',
    'Sample line: Lorem ipsum dolor sit amet, consectetur adipiscing elit.',
    'Sample line: ÄÖÜ äöü ß — accents, dashes and “quotes” render sharply.',
  ];
  let n = 0;
  let i = 0;
  const pad = (/** @type {number} */ v, w = 2) => String(v).padStart(w, '0');
  const tick = () => {
    const d = new Date();
    clock.textContent = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
    frame.textContent = String(++n);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  setInterval(() => {
    const li = document.createElement('li');
    const d = new Date();
    li.textContent = `${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}  ${lines[i++ % lines.length]}`;
    log.prepend(li);
    while (log.children.length > 12) log.lastElementChild?.remove();
  }, 700);
}

// ---------------------------------------------------------------- wiring

ui.start.addEventListener('click', () => { start(); });
ui.retry.addEventListener('click', () => { retry(); });
ui.stop.addEventListener('click', () => { stop('Sharing stopped. The session has ended for all viewers.'); });
ui.copy.addEventListener('click', () => { copyLink(); });
ui.link.addEventListener('focus', () => ui.link.select());
window.addEventListener('pagehide', () => {
  // Free the presenter slot so a reload can publish again; the session itself stays.
  if (whip) whip.delete({ keepalive: true });
  if (events) events.close();
});

if (OPTIONS.marker) {
  document.documentElement.classList.add('marker-mode');
  startMarkerPainter();
  startDemoContent();
}
session = sessionFromUrl();
setState('idle', session && session.key ? 'Ready to share. This page will reuse its session.' : 'Ready to share.');
if (OPTIONS.autostart) start();
