// Glass-to-glass latency benchmark: Projector (presenter page -> SFU -> viewer page) against a direct
// browser-to-browser call (the physical reference), alternating A/B runs on the same machine.
// Started by run.sh (which installs what it needs); see README.md in this directory.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');

// ------------------------------------------------------------------ configuration
const env = process.env;
const int = (name, dflt, min = 0) => {
  const v = env[name] === undefined || env[name] === '' ? dflt : Number(env[name]);
  if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be an integer >= ${min}, got ${env[name]}`);
  return v;
};
const CFG = {
  runs: int('RUNS', 12, 1),
  samples: int('SAMPLES', 75, 10),
  warmup: int('WARMUP', 30, 0),
  joins: int('JOINS', 5, 0),
  bitrateWaitMs: int('BITRATE_WAIT_S', 10, 1) * 1000,
  audio: env.AUDIO !== '0',
  presenterParams: env.PRESENTER_PARAMS || '',
  directZeroPlayoutDelay: env.DIRECT_PLAYOUT_DELAY !== 'default',
  jar: env.PROJECTOR_JAR || path.join(REPO, 'signaling/target/projector.jar'),
  webRoot: env.WEB_ROOT || path.join(REPO, 'web-client/src/main/resources/web'),
  chromium: env.CHROMIUM || '/usr/bin/chromium',
  writeDocs: env.BENCH_WRITE_DOCS !== '0',
  docs: env.BENCH_DOCS_FILE || path.join(REPO, 'docs/benchmarks.md'),
  plot: env.BENCH_PLOT_FILE || path.join(REPO, 'docs/img/glass-to-glass.png'),
  results: env.BENCH_RESULTS_FILE || path.join(HERE, 'results/latest.json'),
  serverLog: path.join(HERE, 'results/server.log'),
  pidFile: env.BENCH_PIDFILE || null,
  netns: env.BENCH_NETNS === '1',
  timeoutMs: int('BENCH_TIMEOUT_S', 900, 30) * 1000,
  // Diagnostics for joining viewers on both paths: navigation timing and getStats polled every 5 ms (first packet,
  // first frame assembled, first frame decoded). The polling costs the page CPU: off for the figures we publish.
  joinDetail: env.JOIN_DETAIL === '1',
};
const TARGETS = { diffMs: 17, firstFrameMs: 500, bitrateBps: 2_000_000, bitrateTimeMs: 5000 };
const PAGES = path.join(HERE, 'pages');
const FLAGS = [
  '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--window-size=1280,720', '--allow-loopback-in-peer-connection',
  '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required',
  '--disable-renderer-backgrounding', '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
];
if (process.getuid && process.getuid() === 0) FLAGS.unshift('--no-sandbox');
const ZERO_PLAYOUT_DELAY_FLAG = '--force-fieldtrials=WebRTC-ForcePlayoutDelay/min_ms:0,max_ms:0/';

const log = (...a) => console.log(`[${new Date().toISOString().slice(11, 23)}]`, ...a);

// ------------------------------------------------------------------ cleanup
let javaProc = null;
let staticServer = null;
const browsers = new Set();

function killJava(signal = 'SIGTERM') {
  if (javaProc && javaProc.exitCode === null && javaProc.signalCode === null) {
    try { javaProc.kill(signal); } catch { /* gone */ }
  }
}
async function cleanup() {
  for (const b of browsers) { try { await b.close(); } catch { /* gone */ } }
  browsers.clear();
  if (staticServer) { staticServer.close(); staticServer.closeAllConnections?.(); staticServer = null; }
  if (javaProc && javaProc.exitCode === null && javaProc.signalCode === null) {
    killJava('SIGTERM');
    const done = new Promise((r) => javaProc.once('exit', r));
    const t = setTimeout(() => killJava('SIGKILL'), 5000);
    await done;
    clearTimeout(t);
  }
}
process.on('exit', () => killJava('SIGKILL'));
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    log(`${sig}: cleaning up`);
    cleanup().finally(() => process.exit(130));
  });
}

// ------------------------------------------------------------------ servers
function startStaticServer() {
  const types = {
    '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
    '.ico': 'image/x-icon',
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let p = decodeURIComponent(url.pathname);
    let root = CFG.webRoot;
    if (p.startsWith('/bench/')) { root = PAGES; p = p.slice('/bench'.length); }
    if (p === '/') p = '/index.html';
    const file = path.resolve(root, `.${p}`);
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': types[path.extname(file)] || 'application/octet-stream', 'Cache-Control': 'no-store',
    });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => { staticServer = server; resolve(`http://127.0.0.1:${server.address().port}`); });
  });
}

function startProjector() {
  if (!fs.existsSync(CFG.jar)) throw new Error(`no server jar at ${CFG.jar} (run.sh builds it)`);
  fs.mkdirSync(path.dirname(CFG.serverLog), { recursive: true });
  const out = fs.createWriteStream(CFG.serverLog);
  const args = ['-jar', CFG.jar, '--http-port', '0', '--media-port', '0', '--http-host', '127.0.0.1',
    '--media-bind', '127.0.0.1'];
  log(`starting Projector: java ${args.join(' ')}`);
  javaProc = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  if (CFG.pidFile) fs.appendFileSync(CFG.pidFile, `${javaProc.pid}\n`);
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Projector did not start within 120 s; log: ${CFG.serverLog}`)), 120_000);
    const onData = (d) => {
      out.write(d);
      text += d.toString();
      const m = text.match(/HTTP port (\d+) \| media UDP port (\d+)/);
      // Like a load balancer, wait for readiness: the start-up warm-up done.
      if (m && text.includes('ready for traffic')) {
        clearTimeout(timer);
        resolve({ httpPort: Number(m[1]), mediaPort: Number(m[2]) });
      }
    };
    javaProc.stdout.on('data', onData);
    javaProc.stderr.on('data', onData);
    javaProc.once('exit', (code, sig) => { clearTimeout(timer); reject(new Error(`Projector exited (${code ?? sig}); log: ${CFG.serverLog}`)); });
  });
}

// ------------------------------------------------------------------ browsers
async function launch(extraArgs = []) {
  const b = await chromium.launch({
    executablePath: CFG.chromium, headless: true, args: [...FLAGS, ...extraArgs], timeout: 60_000,
    env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
  });
  browsers.add(b);
  b.on('disconnected', () => browsers.delete(b));
  return b;
}
async function closeBrowser(b) {
  browsers.delete(b);
  try { await b.close(); } catch { /* gone */ }
}
/** Camera/microphone permission makes Chromium expose raw loopback candidates instead of mDNS names. */
/** JOIN_DETAIL: runs in a joining viewer's page before its scripts; keeps every peer connection and polls it. */
const joinDetailProbe = () => {
  const marks = {};
  window.__joinDetail = marks;
  const Orig = window.RTCPeerConnection;
  if (!Orig) return;
  const pcs = [];
  window.RTCPeerConnection = function RTCPeerConnection(...args) {
    const pc = new Orig(...args);
    pcs.push(pc);
    pc.addEventListener('connectionstatechange', () => {
      if (pc.connectionState === 'connected' && marks.pcConnected == null) marks.pcConnected = Math.round(performance.now());
    });
    pc.addEventListener('iceconnectionstatechange', () => {
      if (pc.iceConnectionState === 'connected' && marks.iceConnected == null) marks.iceConnected = Math.round(performance.now());
    });
    return pc;
  };
  window.RTCPeerConnection.prototype = Orig.prototype;
  Object.setPrototypeOf(window.RTCPeerConnection, Orig);
  const timer = setInterval(async () => {
    for (const pc of pcs) {
      const now = Math.round(performance.now());
      const stats = await pc.getStats();
      stats.forEach((r) => {
        if (r.type === 'inbound-rtp' && r.kind === 'video') {
          if (r.packetsReceived > 0 && marks.firstVideoPacket == null) marks.firstVideoPacket = now;
          if (r.framesReceived > 0 && marks.firstFrameAssembled == null) marks.firstFrameAssembled = now;
          if (r.framesDecoded > 0 && marks.firstFrameDecoded == null) { marks.firstFrameDecoded = now; clearInterval(timer); }
        }
        if (r.type === 'transport' && r.dtlsState === 'connected' && marks.dtlsConnected == null) marks.dtlsConnected = now;
      });
    }
  }, 5);
};
const joinDetailRead = () => {
  const n = performance.getEntriesByType('navigation')[0];
  const out = { ...(window.__joinDetail || {}) };
  if (n) {
    Object.assign(out, { pageRequestSent: Math.round(n.requestStart), pageFirstByte: Math.round(n.responseStart),
      pageReceived: Math.round(n.responseEnd), domInteractive: Math.round(n.domInteractive) });
  }
  return out;
};

const newContext = (b) => b.newContext({ viewport: { width: 1280, height: 720 }, permissions: ['camera', 'microphone'] });

// Strictly loopback: only 127.0.0.1 candidates are relayed between the direct pages.
const isLoopbackCandidate = (c) => {
  const parts = String(c && c.candidate || '').split(' ');
  return parts[4] === '127.0.0.1';
};
const loopbackSdp = (sdp) => sdp.split('\r\n')
  .filter((l) => !l.startsWith('a=candidate:') || l.split(' ')[4] === '127.0.0.1').join('\r\n');

/** Relays offer/answer/candidates between the direct pages (page.evaluate), in order per destination. */
class DirectRouter {
  constructor() {
    this.presenter = null;
    this.viewers = new Map();
    this.chains = new Map();
    this.dropped = 0;
    this.relayed = 0;
    this.errors = [];
  }
  forward(page, msg) {
    if (msg.sdp) msg = { ...msg, sdp: loopbackSdp(msg.sdp) };
    if (msg.type === 'candidate' && !isLoopbackCandidate(msg.candidate)) { this.dropped++; return; }
    this.relayed++;
    const prev = this.chains.get(page) || Promise.resolve();
    const next = prev.then(() => page.evaluate((m) => window.direct.receive(m), msg))
      .catch((e) => { if (!page.isClosed()) this.errors.push(`${msg.type}: ${e.message.split('\n')[0]}`); });
    this.chains.set(page, next);
  }
  async presenterPage(ctx) {
    await ctx.exposeBinding('benchSignal', (_src, msg) => {
      const v = this.viewers.get(msg.to);
      if (v && !v.isClosed()) this.forward(v, msg);
    });
    this.presenter = await ctx.newPage();
    return this.presenter;
  }
  async viewerPage(ctx, id) {
    await ctx.exposeBinding('benchSignal', (_src, msg) => this.forward(this.presenter, { ...msg, from: id }));
    const page = await ctx.newPage();
    this.viewers.set(id, page);
    return page;
  }
  bye(id) {
    this.forward(this.presenter, { type: 'bye', from: id });
    this.viewers.delete(id);
  }
}

// ------------------------------------------------------------------ in-page probes
/**
 * Presenter: polls its peer connection's video outbound-rtp every 250 ms from the "Start sharing" click. With
 * simulcast there is one outbound-rtp per layer: bytes and target bitrates are summed over the layers, frame
 * size, rate and counters are the largest layer's.
 */
function installPoller() {
  const b = { t0: performance.now(), polls: [] };
  window.__bench = b;
  b.timer = setInterval(async () => {
    const pc = window.projector && window.projector.pc;
    if (!pc) return;
    try {
      const rep = await pc.getStats();
      const layers = [];
      rep.forEach((s) => { if (s.type === 'outbound-rtp' && s.kind === 'video') layers.push(s); });
      const top = layers.reduce((m, x) => (!m || (x.frameWidth || 0) > (m.frameWidth || 0) ? x : m), null);
      const sum = (k) => (layers.some((x) => x[k] != null) ? layers.reduce((a, x) => a + (x[k] || 0), 0) : null);
      b.polls.push({
        t: performance.now() - b.t0, conn: pc.connectionState, layers: layers.length,
        bytesSent: sum('bytesSent'), targetBitrate: sum('targetBitrate'),
        framesEncoded: top ? top.framesEncoded : null, fps: top ? top.framesPerSecond ?? null : null,
        width: top ? top.frameWidth ?? null : null, height: top ? top.frameHeight ?? null : null,
        limit: top ? top.qualityLimitationReason ?? null : null,
      });
    } catch { /* closed */ }
  }, 250);
}

async function presenterOutbound() {
  const pc = window.projector && window.projector.pc;
  if (!pc) return null;
  const rep = await pc.getStats();
  const layers = [];
  rep.forEach((s) => { if (s.type === 'outbound-rtp' && s.kind === 'video') layers.push(s); });
  if (!layers.length) return null;
  const o = layers.reduce((m, x) => (!m || (x.frameWidth || 0) > (m.frameWidth || 0) ? x : m), null);
  const sum = (k) => (layers.some((x) => x[k] != null) ? layers.reduce((a, x) => a + (x[k] || 0), 0) : null);
  let codec = null;
  if (o.codecId && rep.get(o.codecId)) codec = rep.get(o.codecId).mimeType;
  return {
    t: performance.now(), bytesSent: sum('bytesSent'), targetBitrate: sum('targetBitrate'),
    framesEncoded: o.framesEncoded, framesSent: o.framesSent ?? null, keyFramesEncoded: o.keyFramesEncoded ?? null,
    fps: o.framesPerSecond ?? null, width: o.frameWidth ?? null, height: o.frameHeight ?? null,
    qualityLimitationReason: o.qualityLimitationReason ?? null, encoderImplementation: o.encoderImplementation ?? null,
    contentType: o.contentType ?? null, nackCount: sum('nackCount'), pliCount: sum('pliCount'),
    totalEncodeTimeMs: sum('totalEncodeTime') != null ? sum('totalEncodeTime') * 1000 : null, codec,
    // time packets waited in the sender's pacer, all layers: with framesEncoded, where a run's latency goes
    packetSendDelayMs: sum('totalPacketSendDelay') != null ? sum('totalPacketSendDelay') * 1000 : null,
    packetsSent: sum('packetsSent'),
    layers: layers.map((x) => ({
      rid: x.rid ?? null, active: x.active ?? null, width: x.frameWidth ?? null, height: x.frameHeight ?? null,
      fps: x.framesPerSecond ?? null, targetBitrate: x.targetBitrate ?? null, bytesSent: x.bytesSent,
      framesEncoded: x.framesEncoded, encoderImplementation: x.encoderImplementation ?? null,
    })),
  };
}

async function viewerInbound() {
  const pc = window.projector && window.projector.pc;
  if (!pc) return null;
  const rep = await pc.getStats();
  const inb = {};
  let pairId = null;
  rep.forEach((s) => {
    if (s.type === 'inbound-rtp') inb[s.kind] = s;
    if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId;
  });
  if (!pairId) rep.forEach((s) => { if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') pairId = s.id; });
  const pair = pairId ? rep.get(pairId) : null;
  const cand = (id) => {
    const c = id ? rep.get(id) : null;
    return c ? { address: c.address ?? c.ip, port: c.port, type: c.candidateType, protocol: c.protocol } : null;
  };
  const perEmitted = (x, v) => (x && x.jitterBufferEmittedCount && v != null ? (v / x.jitterBufferEmittedCount) * 1000 : null);
  const jb = (x) => x && {
    // averages per emitted frame/sample, ms: time spent in the jitter buffer, its target, and the minimum
    // delay it was asked to keep (raised by audio/video synchronisation)
    delayMs: perEmitted(x, x.jitterBufferDelay), targetMs: perEmitted(x, x.jitterBufferTargetDelay),
    minimumMs: perEmitted(x, x.jitterBufferMinimumDelay), packetsReceived: x.packetsReceived,
  };
  const i = inb.video;
  return {
    inbound: i && {
      framesDecoded: i.framesDecoded, framesDropped: i.framesDropped ?? null, freezeCount: i.freezeCount ?? null,
      totalFreezesDurationMs: i.totalFreezesDuration != null ? i.totalFreezesDuration * 1000 : null,
      jitterBufferDelayMs: perEmitted(i, i.jitterBufferDelay),
      decodeTimeMs: i.framesDecoded ? (i.totalDecodeTime / i.framesDecoded) * 1000 : null,
      // per decoded frame, from its first packet's arrival to decoded (assembly, jitter buffer, decoding)
      processingDelayMs: i.framesDecoded && i.totalProcessingDelay != null ? (i.totalProcessingDelay / i.framesDecoded) * 1000 : null,
      decoderImplementation: i.decoderImplementation ?? null, nackCount: i.nackCount ?? null, pliCount: i.pliCount ?? null,
      packetsLost: i.packetsLost ?? null, width: i.frameWidth ?? null, height: i.frameHeight ?? null,
    },
    jitterBuffer: { video: jb(inb.video), audio: jb(inb.audio) },
    pair: pair && {
      local: cand(pair.localCandidateId), remote: cand(pair.remoteCandidateId),
      rttMs: pair.currentRoundTripTime != null ? pair.currentRoundTripTime * 1000 : null,
    },
  };
}

const viewerSnapshot = () => {
  const s = window.projector.stats;
  return {
    t: performance.now(), idx: s.latenciesMs.length, frames: s.framesRendered, markerFrames: s.markerFrames,
    markerErrors: s.markerErrors, markerMissing: s.markerMissing, width: s.width, height: s.height,
    firstFrameMs: s.firstFrameMs,
  };
};

// ------------------------------------------------------------------ one measurement
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function measure(pathName, run, bases) {
  const direct = pathName === 'direct';
  const res = { path: pathName, run, startedAt: new Date().toISOString(), loadavgBefore: os.loadavg() };
  const router = direct ? new DirectRouter() : null;
  const pb = await launch();
  // Projector's SFU asks every viewer for playout delay 0..0 (RTP playout-delay extension), so Chrome renders
  // each frame as soon as it is decoded. A browser-to-browser call has no way to ask for that from the page;
  // the same request is applied to the direct viewer's browser with Chromium's WebRTC-ForcePlayoutDelay field trial.
  const vb = await launch(direct && CFG.directZeroPlayoutDelay ? [ZERO_PLAYOUT_DELAY_FLAG] : []);
  try {
    // ---- presenter
    const pctx = await newContext(pb);
    if (!CFG.audio) {
      // AUDIO=0: video only, on both paths alike (the pages ask for tab audio; this drops that request).
      await pctx.addInitScript(() => {
        const md = navigator.mediaDevices;
        if (!md || !md.getDisplayMedia) return;
        const orig = md.getDisplayMedia.bind(md);
        md.getDisplayMedia = (opts = {}) => {
          const o = { ...opts, audio: false };
          delete o.systemAudio;
          return orig(o);
        };
      });
    }
    const presenter = direct ? await router.presenterPage(pctx) : await pctx.newPage();
    await presenter.goto(direct ? `${bases.static}/bench/direct-presenter.html` : `${bases.projector}/?surface=browser&marker=1${CFG.presenterParams ? `&${CFG.presenterParams}` : ''}`);
    await presenter.waitForFunction(() => window.projector && document.getElementById('start')
      && !document.getElementById('start').hidden, null, { timeout: 20_000 });
    await presenter.evaluate(installPoller);
    await presenter.getByRole('button', { name: 'Start sharing' }).click();
    await presenter.waitForFunction(() => window.projector.trackSettings, null, { timeout: 20_000 });
    if (!direct) {
      await presenter.waitForFunction(() => window.projector.state === 'live' && window.projector.viewerUrl, null,
        { timeout: 20_000 });
    }
    res.trackSettings = await presenter.evaluate(() => {
      const t = window.projector.trackSettings;
      return { width: t.width, height: t.height, frameRate: t.frameRate, displaySurface: t.displaySurface };
    });
    res.presenterSends = await presenter.evaluate(() => window.projector.pc
      ? window.projector.pc.getSenders().filter((x) => x.track).map((x) => x.track.kind) : null);
    const viewerUrl = direct ? null : await presenter.evaluate(() => window.projector.viewerUrl);
    const viewerLink = (id) => (direct ? `${bases.static}/bench/direct-viewer.html?id=${id}` : `${viewerUrl}?marker=1`);
    const openViewer = async (id, detail = false) => {
      const ctx = await newContext(vb);
      if (detail) await ctx.addInitScript(joinDetailProbe);
      const page = direct ? await router.viewerPage(ctx, id) : await ctx.newPage();
      await page.goto(viewerLink(id));
      return { ctx, page };
    };

    // ---- main viewer: warm-up, then the sample window
    const { ctx: viewerCtx, page: viewer } = await openViewer('v1');
    await viewer.waitForFunction((w) => window.projector && window.projector.stats.markerFrames >= Math.max(1, w),
      CFG.warmup, { timeout: 30_000 });

    const v0 = await viewer.evaluate(viewerSnapshot);
    const p0 = await presenter.evaluate(presenterOutbound);
    const windowTimeout = Math.max(60_000, CFG.samples * 200);
    await viewer.waitForFunction(([i, n]) => window.projector.stats.latenciesMs.length >= i + n, [v0.idx, CFG.samples],
      { timeout: windowTimeout, polling: 100 });
    const v1 = await viewer.evaluate(viewerSnapshot);
    const p1 = await presenter.evaluate(presenterOutbound);
    res.latenciesMs = await viewer.evaluate(([i, n]) => window.projector.stats.latenciesMs.slice(i, i + n).map((x) => Math.round(x * 10) / 10),
      [v0.idx, CFG.samples]);
    if (res.latenciesMs.length !== CFG.samples) throw new Error(`got ${res.latenciesMs.length} samples, wanted ${CFG.samples}`);
    res.receivedToShownMs = await viewer.evaluate(([i, n]) => (window.projector.stats.receivedToShownMs || [])
      .slice(i, i + n).map((x) => (Number.isFinite(x) ? Math.round(x * 10) / 10 : null)), [v0.idx, CFG.samples]);
    res.presentedToShownMs = await viewer.evaluate(([i, n]) => (window.projector.stats.presentedToShownMs || [])
      .slice(i, i + n).map((x) => (Number.isFinite(x) ? Math.round(x * 10) / 10 : null)), [v0.idx, CFG.samples]);
    res.window = {
      durationMs: v1.t - v0.t,
      fps: ((v1.frames - v0.frames) * 1000) / (v1.t - v0.t),
      framesRendered: v1.frames - v0.frames,
      markerFrames: v1.markerFrames - v0.markerFrames,
      markerErrors: v1.markerErrors - v0.markerErrors,
      markerMissing: v1.markerMissing - v0.markerMissing,
      width: v1.width, height: v1.height,
      sentBitrateBps: p0 && p1 ? ((p1.bytesSent - p0.bytesSent) * 8 * 1000) / (p1.t - p0.t) : null,
      presenterFps: p0 && p1 ? ((p1.framesEncoded - p0.framesEncoded) * 1000) / (p1.t - p0.t) : null,
      // over the sample window: encoding one captured frame (all simulcast layers), and a packet's wait in the pacer
      encodeMsPerFrame: p0 && p1 && p1.framesEncoded > p0.framesEncoded && p1.totalEncodeTimeMs != null
        ? (p1.totalEncodeTimeMs - p0.totalEncodeTimeMs) / (p1.framesEncoded - p0.framesEncoded) : null,
      pacerMsPerPacket: p0 && p1 && p1.packetsSent > p0.packetsSent && p1.packetSendDelayMs != null
        ? (p1.packetSendDelayMs - p0.packetSendDelayMs) / (p1.packetsSent - p0.packetsSent) : null,
    };
    res.mainViewerFirstFrameMs = v1.firstFrameMs;
    res.presenter = p1;
    res.viewer = await viewer.evaluate(viewerInbound);

    // ---- bitrate ramp: wait (bounded) until 2 Mbit/s is reached or BITRATE_WAIT_S has passed since the click
    for (;;) {
      const st = await presenter.evaluate(() => {
        const b = window.__bench;
        const last = b.polls[b.polls.length - 1];
        return { elapsed: performance.now() - b.t0, target: last ? last.targetBitrate : null };
      });
      if ((st.target != null && st.target >= TARGETS.bitrateBps) || st.elapsed >= CFG.bitrateWaitMs) break;
      await sleep(250);
    }
    res.polls = await presenter.evaluate(() => { clearInterval(window.__bench.timer); return window.__bench.polls; });
    Object.assign(res, bitrateRamp(res.polls));

    // ---- joining viewers: time from navigation start to the first rendered frame. The sample viewer leaves first
    // (both paths): on a deployment other viewers are on other machines, here its decoding (and marker reading)
    // would take the joining viewer's share of the two cores. The presenter keeps sharing.
    await viewerCtx.close();
    if (direct) router.bye('v1');
    res.joins = [];
    for (let j = 1; j <= CFG.joins; j++) {
      const id = `j${j}`;
      const { ctx, page } = await openViewer(id, CFG.joinDetail);
      await page.waitForFunction(() => window.projector && window.projector.stats.firstFrameMs !== null, null,
        { timeout: 15_000 });
      // A decoded strip proves the joiner sees the presenter's picture, not a black frame.
      await page.waitForFunction(() => window.projector.stats.markerFrames >= 1, null, { timeout: 10_000 });
      const s = await page.evaluate(viewerSnapshot);
      // The Projector viewer page records when it passed each step (the direct reference page does not).
      const timeline = await page.evaluate(() => (window.projector.timeline ? { ...window.projector.timeline } : null));
      const detail = CFG.joinDetail ? await page.evaluate(joinDetailRead) : null;
      if (detail) log(`join ${id} (${direct ? 'direct' : 'projector'}): first frame ${Math.round(s.firstFrameMs)} ms; `
        + Object.entries({ ...detail, ...(timeline || {}) }).sort((a, b) => a[1] - b[1]).map(([k, v]) => `${k} ${v}`).join(', '));
      res.joins.push({ firstFrameMs: Math.round(s.firstFrameMs * 10) / 10, width: s.width, height: s.height, timeline, detail });
      await ctx.close();
      if (direct) router.bye(id);
      await sleep(500);
    }

    res.presenterError = await presenter.evaluate(() => window.projector.error);
    if (direct) {
      res.signaling = { relayed: router.relayed, droppedNonLoopbackCandidates: router.dropped, errors: router.errors };
      if (router.errors.length) log(`signalling errors: ${router.errors.join('; ')}`);
    }
    // End the session (the real page also deletes it on the server).
    try { await presenter.getByRole('button', { name: 'Stop sharing' }).click({ timeout: 5000 }); } catch { /* ignore */ }
    await sleep(200);
  } finally {
    await closeBrowser(vb);
    await closeBrowser(pb);
  }
  res.loadavgAfter = os.loadavg();
  return res;
}

/** Times (ms from the "Start sharing" click) until targetBitrate, and the sent rate over 1 s, reach 2 Mbit/s. */
function bitrateRamp(polls) {
  const first = (pred) => { const p = polls.find(pred); return p ? Math.round(p.t) : null; };
  const connectedMs = first((p) => p.conn === 'connected');
  const targetMs = first((p) => p.targetBitrate != null && p.targetBitrate >= TARGETS.bitrateBps);
  let sentMs = null;
  let maxSentBps = 0;
  for (let i = 0, j = 0; i < polls.length; i++) {
    while (j < i && polls[i].t - polls[j + 1].t >= 1000) j++;
    const dt = polls[i].t - polls[j].t;
    if (dt < 1000 || polls[i].bytesSent == null || polls[j].bytesSent == null) continue;
    const bps = ((polls[i].bytesSent - polls[j].bytesSent) * 8 * 1000) / dt;
    maxSentBps = Math.max(maxSentBps, bps);
    if (sentMs === null && bps >= TARGETS.bitrateBps) sentMs = Math.round(polls[i].t);
  }
  const maxTarget = polls.reduce((m, p) => Math.max(m, p.targetBitrate || 0), 0);
  return {
    connectedMs, timeToTarget2MbpsMs: targetMs, timeToSent2MbpsMs: sentMs,
    maxTargetBitrateBps: maxTarget, maxSentBitrate1sBps: Math.round(maxSentBps),
  };
}

async function measureWithRetry(pathName, run, bases, failures) {
  for (let attempt = 1; ; attempt++) {
    try {
      log(`run ${run}: ${pathName} (attempt ${attempt})`);
      const before = pathName === 'projector' ? await histogramBuckets(bases.projector, RECEIVE_DELAY) : null;
      const r = await measure(pathName, run, bases);
      r.attempt = attempt;
      if (before) r.receiveDelay = bucketQuantiles(before, await histogramBuckets(bases.projector, RECEIVE_DELAY));
      const q = quantiles(r.latenciesMs);
      log(`run ${run}: ${pathName}: p50 ${q.p50} p95 ${q.p95} p99 ${q.p99} ms, ${r.window.fps.toFixed(1)} fps `
        + `${r.window.width}x${r.window.height}, joins ${r.joins.map((x) => Math.round(x.firstFrameMs)).join('/')} ms, `
        + `2 Mbit/s target after ${fmtMs(r.timeToTarget2MbpsMs)}, sent ${(r.window.sentBitrateBps / 1e6).toFixed(2)} Mbit/s, `
        + `video jitter buffer ${Math.round(r.viewer?.jitterBuffer?.video?.delayMs ?? NaN)} ms (minimum ${Math.round(r.viewer?.jitterBuffer?.video?.minimumMs ?? NaN)}), `
        + `audio ${Math.round(r.viewer?.jitterBuffer?.audio?.delayMs ?? NaN)} ms, `
        + `painted->received ${latencySplit(r).paintedToReceivedP50Ms} / received->shown ${latencySplit(r).receivedToShownP50Ms} ms `
        + `(of which presented->shown ${latencySplit(r).presentedToShownP50Ms} ms), `
        + (r.receiveDelay ? `SFU read delay p50 ${r.receiveDelay.p50Ms ?? '>1000'} p99 ${r.receiveDelay.p99Ms ?? '>1000'} ms (n=${r.receiveDelay.count}), ` : '')
        + `pair ${fmtPair(r.viewer?.pair)}, load ${os.loadavg()[0].toFixed(1)}`);
      return r;
    } catch (e) {
      const msg = e && e.message ? e.message.split('\n')[0] : String(e);
      failures.push({ path: pathName, run, attempt, error: msg });
      log(`run ${run}: ${pathName} attempt ${attempt} failed: ${msg}`);
      if (attempt >= 2) throw new Error(`${pathName} run ${run} failed twice: ${msg}`);
    }
  }
}

// ------------------------------------------------------------------ statistics
/** Nearest-rank quantile on the sorted values, like viewer.js: s[min(n-1, floor(q*n))]. */
function quantile(values, q) {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}
const r1 = (x) => (x == null ? null : Math.round(x * 10) / 10);
function quantiles(values) {
  const mean = values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
  return {
    n: values.length, p50: r1(quantile(values, 0.5)), p95: r1(quantile(values, 0.95)), p99: r1(quantile(values, 0.99)),
    mean: r1(mean), min: r1(values.length ? Math.min(...values) : null), max: r1(values.length ? Math.max(...values) : null),
  };
}
const RECEIVE_DELAY = 'projector_receive_delay_seconds';

/**
 * The cumulative bucket counts of one Prometheus histogram from the server's /metrics (upper bound in seconds →
 * count), or null when it cannot be read.
 */
async function histogramBuckets(base, name) {
  try {
    const text = await (await fetch(`${base}/metrics`)).text();
    const buckets = new Map();
    for (const line of text.split('\n')) {
      const m = line.match(new RegExp(`^${name}_bucket\\{.*le="([^"]+)".*\\} ([0-9.eE+-]+)$`));
      if (!m) continue;
      const bound = m[1] === '+Inf' ? Infinity : Number(m[1]);
      buckets.set(bound, (buckets.get(bound) || 0) + Number(m[2]));
    }
    return buckets.size ? buckets : null;
  } catch {
    return null;
  }
}

/**
 * Quantiles (upper bucket bounds, ms) of what a histogram recorded between two snapshots: the SFU's read delay
 * (a presenter packet's arrival on the host, stamped by the kernel, to its read by the media port's thread).
 */
function bucketQuantiles(before, after) {
  if (!before || !after) return null;
  const bounds = [...after.keys()].sort((x, y) => x - y);
  const counts = bounds.map((b) => after.get(b) - (before.get(b) || 0));
  const total = counts[counts.length - 1];
  if (!total) return null;
  const q = (f) => { const i = counts.findIndex((c) => c >= f * total); return bounds[i] === Infinity ? null : r1(bounds[i] * 1000); };
  return { count: total, p50Ms: q(0.5), p99Ms: q(0.99), maxBucketMs: q(1) };
}

/**
 * Where a run's latency goes, split at the arrival of each frame's last packet at the viewer (from
 * requestVideoFrameCallback's receiveTime): the presenter's paint, capture, encode, pacing, the network and the SFU
 * before; the viewer's jitter buffer, decode and render after. Medians over the samples that have both.
 */
function latencySplit(r) {
  const after = (r.receivedToShownMs || []).map((v, i) => [r.latenciesMs[i], v]).filter(([, v]) => v != null);
  if (!after.length) return { paintedToReceivedP50Ms: null, receivedToShownP50Ms: null, presentedToShownP50Ms: null };
  return {
    paintedToReceivedP50Ms: r1(median(after.map(([l, v]) => l - v))),
    receivedToShownP50Ms: r1(median(after.map(([, v]) => v))),
    presentedToShownP50Ms: r1(median((r.presentedToShownMs || []).filter((v) => v != null))),
  };
}
const median = (xs) => { const v = xs.filter((x) => x != null); return v.length ? quantile(v, 0.5) : null; };
const chromiumNumber = (meta) => ((meta.machine.chromiumVersion || '').match(/\d+(\.\d+)+/) || ['?'])[0];
const fmtMs = (ms) => (ms == null || !Number.isFinite(ms) ? 'not reached' : `${(ms / 1000).toFixed(2)} s`);
const fmtPair = (p) => (p && p.local && p.remote ? `${p.local.address}:${p.local.port}->${p.remote.address}:${p.remote.port}` : '?');

/** Steps of a joining viewer's page (viewer.js ViewerHooks.timeline), in the order they happen. */
const JOIN_STEPS = ['script', 'peer', 'lookup', 'localDescription', 'whepRequestSent', 'whepAnswerStarted', 'response', 'connected',
  'firstFrame'];
const JOIN_STEP_NAMES = { script: 'page\'s first script runs', peer: 'peer connection created', lookup: 'session lookup read', localDescription: 'offer applied (setLocalDescription)',
  whepRequestSent: 'WHEP request sent', whepAnswerStarted: 'WHEP answer\'s first byte',
  response: 'WHEP answer received', connected: 'ICE+DTLS connected', firstFrame: 'first frame shown' };

function summarize(results) {
  const byPath = {};
  for (const name of ['direct', 'projector']) {
    const runs = results.filter((r) => r.path === name).sort((a, b) => a.run - b.run);
    const pooled = runs.flatMap((r) => r.latenciesMs);
    const joins = runs.flatMap((r) => r.joins.map((j) => j.firstFrameMs));
    byPath[name] = {
      latency: quantiles(pooled),
      perRun: runs.map((r) => ({
        run: r.run, ...quantiles(r.latenciesMs), fps: r1(r.window.fps), width: r.window.width, height: r.window.height,
        markerErrors: r.window.markerErrors, markerMissing: r.window.markerMissing,
        joinFirstFrameMs: r.joins.map((j) => j.firstFrameMs), mainViewerFirstFrameMs: r1(r.mainViewerFirstFrameMs),
        timeToTarget2MbpsMs: r.timeToTarget2MbpsMs, timeToSent2MbpsMs: r.timeToSent2MbpsMs,
        sentBitrateBps: Math.round(r.window.sentBitrateBps ?? 0), targetBitrateBps: r.presenter?.targetBitrate ?? null,
        pair: fmtPair(r.viewer?.pair), jitterBufferDelayMs: r1(r.viewer?.inbound?.jitterBufferDelayMs),
        videoMinimumDelayMs: r1(r.viewer?.jitterBuffer?.video?.minimumMs),
        audioJitterBufferMs: r1(r.viewer?.jitterBuffer?.audio?.delayMs), presenterSends: r.presenterSends,
        encodeMsPerFrame: r1(r.window.encodeMsPerFrame), pacerMsPerPacket: r1(r.window.pacerMsPerPacket),
        viewerProcessingMs: r1(r.viewer?.inbound?.processingDelayMs),
        ...latencySplit(r),
        connectedMs: r.connectedMs,
      })),
      fps: r1(median(runs.map((r) => r.window.fps))),
      joinFirstFrame: { ...quantiles(joins), values: joins },
      joinSteps: Object.fromEntries(JOIN_STEPS.map((k) => [k, median(runs.flatMap((r) => r.joins
        .map((j) => (j.timeline && j.timeline[k] != null ? j.timeline[k] : null))))])),
      timeToTarget2MbpsMs: median(runs.map((r) => r.timeToTarget2MbpsMs ?? Infinity)),
      timeToTarget2MbpsAll: runs.map((r) => r.timeToTarget2MbpsMs),
      timeToSent2MbpsAll: runs.map((r) => r.timeToSent2MbpsMs),
      sentBitrateBps: median(runs.map((r) => r.window.sentBitrateBps)),
      targetBitrateBps: median(runs.map((r) => r.presenter?.targetBitrate ?? null)),
    };
  }
  const d = byPath.direct;
  const p = byPath.projector;
  const diff = {
    p50: r1(p.latency.p50 - d.latency.p50),
    p95: r1(p.latency.p95 - d.latency.p95),
    perRunP50: p.perRun.map((r, i) => r1(r.p50 - (d.perRun[i]?.p50 ?? NaN))),
    perRunP95: p.perRun.map((r, i) => r1(r.p95 - (d.perRun[i]?.p95 ?? NaN))),
  };
  const ttb = p.timeToTarget2MbpsMs;
  const targets = [
    { name: 'Projector − direct, p50 latency', value: `${diff.p50} ms`, target: `≤ ${TARGETS.diffMs} ms`, met: diff.p50 <= TARGETS.diffMs },
    { name: 'Projector − direct, p95 latency', value: `${diff.p95} ms`, target: `≤ ${TARGETS.diffMs} ms`, met: diff.p95 <= TARGETS.diffMs },
    { name: 'Projector joining viewer, first frame p50', value: `${p.joinFirstFrame.p50} ms (direct reference: ${d.joinFirstFrame.p50} ms)`, target: `≤ ${TARGETS.firstFrameMs} ms`, met: p.joinFirstFrame.p50 != null && p.joinFirstFrame.p50 <= TARGETS.firstFrameMs },
    { name: 'Projector presenter, time to 2 Mbit/s (median of runs)', value: Number.isFinite(ttb) ? `${(ttb / 1000).toFixed(2)} s` : 'not reached', target: `≤ ${TARGETS.bitrateTimeMs / 1000} s`, met: Number.isFinite(ttb) && ttb <= TARGETS.bitrateTimeMs },
  ];
  return { byPath, diff, targets };
}

// ------------------------------------------------------------------ machine facts
function sh(cmd, args) {
  try { return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim(); } catch { return null; }
}
function machine() {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const model = (cpuinfo.match(/^model name\s*:\s*(.*)$/m) || [])[1] || os.cpus()[0]?.model || 'unknown';
  const free = sh('free', ['-g']);
  const memTotalGiB = free ? Number((free.match(/^Mem:\s+(\d+)/m) || [])[1]) : Math.round(os.totalmem() / 2 ** 30);
  return {
    nproc: Number(sh('nproc', [])) || os.availableParallelism?.() || os.cpus().length,
    cpuModel: model, memTotalGiB, kernel: os.release(),
    chromiumVersion: sh(CFG.chromium, ['--version']),
    node: process.version,
    playwrightCore: JSON.parse(fs.readFileSync(path.join(HERE, 'node_modules/playwright-core/package.json'), 'utf8')).version,
  };
}
/** Fraction of all cores busy (not idle or waiting on I/O) over the next ms, from /proc/stat. */
async function cpuBusy(ms) {
  const read = () => {
    const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return { total: f.reduce((a, b) => a + b, 0), idle: f[3] + (f[4] || 0) };
  };
  const a = read();
  await sleep(ms);
  const b = read();
  return b.total > a.total ? 1 - (b.idle - a.idle) / (b.total - a.total) : null;
}
function javaVersion() {
  const r = spawnSync('java', ['-version'], { encoding: 'utf8' });
  return `${r.stderr || ''}${r.stdout || ''}`.split('\n')[0] || null;
}

// ------------------------------------------------------------------ outputs
async function renderPlot(bases, results, summary, meta) {
  const b = await launch();
  try {
    const ctx = await b.newContext({ viewport: { width: 1100, height: 600 }, deviceScaleFactor: 1 });
    const page = await ctx.newPage();
    await page.goto(`${bases.static}/bench/plot.html`);
    const mk = (name, label, color) => ({
      name: label, color,
      pooled: results.filter((r) => r.path === name).flatMap((r) => r.latenciesMs),
      runs: results.filter((r) => r.path === name).map((r) => r.latenciesMs),
      ...summary.byPath[name].latency,
    });
    await page.evaluate((d) => window.drawPlot(d), {
      title: 'Glass-to-glass latency: Projector SFU vs direct browser-to-browser',
      subtitle: `${meta.date.slice(0, 10)} · ${CFG.runs} run${CFG.runs === 1 ? '' : 's'} × ${CFG.samples} frames per path (ABAB) · `
        + `${meta.machine.nproc} cores · Chromium ${chromiumNumber(meta)} headless · ${CFG.audio ? 'video + tab audio' : 'video only'} · `
        + `load average ${meta.loadavgStart[0].toFixed(1)} → ${meta.loadavgEnd[0].toFixed(1)}`,
      paths: [mk('direct', 'direct (reference)', '#1f77b4'), mk('projector', 'through Projector', '#d62728')],
    });
    fs.mkdirSync(path.dirname(CFG.plot), { recursive: true });
    await page.locator('#plot').screenshot({ path: CFG.plot });
  } finally {
    await closeBrowser(b);
  }
}

function docsSection(summary, meta) {
  const d = summary.byPath.direct;
  const p = summary.byPath.projector;
  const mb = (bps) => (bps == null ? '—' : `${(bps / 1e6).toFixed(2)} Mbit/s`);
  const s = (ms) => (ms == null || !Number.isFinite(ms) ? 'not reached' : `${(ms / 1000).toFixed(2)} s`);
  const ms = (x) => (x == null || !Number.isFinite(x) ? '—' : `${Math.round(x)} ms`);
  const joinCell = (x) => (x.n ? `${Math.round(x.p50)} ms (${Math.round(x.min)}–${Math.round(x.max)}, n=${x.n})` : '—');
  const res = (x) => (x.perRun[0] ? `${x.perRun[0].width}×${x.perRun[0].height}` : '—');
  const relPlot = path.relative(path.dirname(CFG.docs), CFG.plot);
  const relReadme = path.relative(path.dirname(CFG.docs), path.join(HERE, 'README.md'));
  const relJson = path.relative(path.dirname(CFG.docs), CFG.results);
  const busy = meta.busyBeforeStart;
  const lines = [];
  lines.push('## Glass-to-glass latency', '');
  lines.push(`Measured by \`bash bench/glass-to-glass/run.sh\` on ${meta.date.slice(0, 16).replace('T', ' ')} UTC `
    + `(repository at commit ${meta.git ?? '?'}, server jar built ${meta.jar.builtAt ? meta.jar.builtAt.slice(0, 16).replace('T', ' ') : '?'} UTC; `
    + `method: [bench/glass-to-glass/README.md](${relReadme}); raw samples: `
    + `[${path.relative(REPO, CFG.results)}](${relJson})). Each path ran ${CFG.runs} time${CFG.runs === 1 ? '' : 's'}, alternating direct / Projector; `
    + `each run: a fresh presenter and viewer browser, ${CFG.warmup} warm-up frames, then ${CFG.samples} latency samples, `
    + `then ${CFG.joins} joining viewers, one after the other, after the sample viewer has left (on a deployment other `
    + 'viewers are on other machines; here they would share the joiner\'s cores). '
    + `The real presenter page runs with its defaults${CFG.presenterParams ? ` and \`${CFG.presenterParams}\`` : ''} `
    + `(three simulcast layers negotiated unless \`simulcast=0\`, the middle one paused by the SFU's advice while no viewer needs it); the direct one sends one full-resolution layer. The presenter sends ${CFG.audio ? 'its tab\'s video and audio in one stream, as the presenter page does' : 'video only (AUDIO=0)'}. `
    + (CFG.directZeroPlayoutDelay
      ? 'Projector asks every viewer for playout delay 0 (RTP playout-delay extension: render each frame as soon as '
        + 'it is decoded); the direct viewer\'s browser gets the same with Chromium\'s `WebRTC-ForcePlayoutDelay` field trial.'
      : 'The direct viewer runs with Chrome\'s default playout delay (DIRECT_PLAYOUT_DELAY=default), while Projector '
        + 'asks its viewers for playout delay 0.'), '');
  lines.push(`Machine: ${meta.machine.nproc} cores, ${meta.machine.cpuModel}, ${meta.machine.memTotalGiB} GiB RAM; `
    + `${meta.machine.chromiumVersion}, headless, software VP8 (libvpx)`
    + (meta.browserPriority === 'user' ? ', started without the right to raise its threads\' priority, as a user\'s browser is' : '')
    + `; CPU busy in the 3 s before the run: ${busy == null ? '?' : `${Math.round(busy * 100)} %`}; load average `
    + `${meta.loadavgStart.map((x) => x.toFixed(2)).join(' / ')} at the start and ${meta.loadavgEnd.map((x) => x.toFixed(2)).join(' / ')} `
    + 'at the end (1 / 5 / 15 min; the benchmark\'s own three browsers and server keep both cores busy)'
    + `${meta.netns ? '; everything ran in a private network namespace whose only interface is loopback' : '; all traffic on 127.0.0.1'}.`, '');
  if (busy != null && busy > 0.25) {
    lines.push(`> **The machine was busy with other work when this run started** (${Math.round(busy * 100)} % of its `
      + `${meta.machine.nproc} cores in the 3 s before): these numbers show that the harness works, they are not `
      + 'representative of Projector. Rerun on an idle machine.', '');
  }
  lines.push('| path | p50 | p95 | p99 | viewer fps | resolution | joining viewer: first frame p50 (min–max) | time to 2 Mbit/s, median of runs | sent bitrate, median of runs |');
  lines.push('|---|---:|---:|---:|---:|---|---|---:|---:|');
  for (const [label, x] of [['direct browser-to-browser (reference)', d], ['through Projector', p]]) {
    lines.push(`| ${label} | ${x.latency.p50} ms | ${x.latency.p95} ms | ${x.latency.p99} ms | ${x.fps} | ${res(x)} | ${joinCell(x.joinFirstFrame)} | ${s(x.timeToTarget2MbpsMs)} | ${mb(x.sentBitrateBps)} |`);
  }
  lines.push('');
  lines.push('Targets, for Projector:', '');
  lines.push('| what | result | target | met |', '|---|---:|---:|---|');
  for (const t of summary.targets) lines.push(`| ${t.name} | ${t.value} | ${t.target} | ${t.met ? 'yes' : '**no**'} |`);
  lines.push('');
  const steps = summary.byPath.projector.joinSteps;
  if (steps && steps.firstFrame != null) {
    lines.push('Where a Projector joining viewer\'s first frame spends its time (median over the joins, ms from opening '
      + 'the page): ' + JOIN_STEPS.filter((k) => steps[k] != null).sort((a, b) => steps[a] - steps[b])
        .map((k) => `${JOIN_STEP_NAMES[k]} ${Math.round(steps[k])}`)
      .join(' → ') + '. An inline script at the top of the page does all of it: the session lookup\'s answer is '
      + 'embedded in the page (serving it, the SFU makes a keyframe ready for when the media connects), the stylesheet '
      + 'too; the script creates the peer connection and its offer, sends the WHEP request and applies the answer, and the '
      + 'video element shows the stream as soon as it exists. The page\'s modules (controls, events, error reports) '
      + 'start only once the answer is applied, so they do not hold up the page\'s thread. The SFU answers in a few ms '
      + 'on its event loop and is an ICE-lite agent, so DTLS starts as soon as the browser\'s first check is answered; '
      + 'the keyframe is replayed from its cache the moment DTLS is done. The rest is the browser\'s own work, on a '
      + 'machine shared with the presenter\'s encoder.', '');
  }
  lines.push(`![Latency CDF of both paths](${relPlot})`, '');
  lines.push('Per run (latency in ms; "connected" and "2 Mbit/s" count from the click on "Start sharing"; jitter buffer: '
    + 'average time a video frame waited in the viewer\'s jitter buffer, in brackets its minimum delay '
    + '(`jitterBufferMinimumDelay`, which audio/video synchronisation raises), and the same for audio; encode: the '
    + 'presenter\'s encoding time per captured frame, all simulcast layers (`totalEncodeTime`); pacer: a video packet\'s '
    + 'average wait in the presenter\'s pacer (`totalPacketSendDelay`), both over the sample window; viewer processing: '
    + 'per decoded frame, from its first packet to decoded (`totalProcessingDelay`), since the viewer joined; painted → received / '
    + 'received → shown: each sample split where the frame\'s last packet reached the viewer (`requestVideoFrameCallback` '
    + '`receiveTime`), medians: before it the presenter\'s capture, encode and pacer, the network and the SFU; after it the '
    + 'viewer\'s jitter buffer, decode and render):', '');
  lines.push('| run | path | p50 | p95 | p99 | fps | joining viewers\' first frame | connected | 2 Mbit/s | sent | video jitter buffer (min) | audio jitter buffer | encode / pacer / viewer processing | painted → received / received → shown (p50) | Projector − direct p50 / p95 |');
  lines.push('|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (let i = 0; i < Math.max(d.perRun.length, p.perRun.length); i++) {
    for (const [label, x] of [['direct', d.perRun[i]], ['Projector', p.perRun[i]]]) {
      if (!x) continue;
      const diff = label === 'Projector' ? `${summary.diff.perRunP50[i]} / ${summary.diff.perRunP95[i]}` : '';
      lines.push(`| ${x.run} | ${label} | ${x.p50} | ${x.p95} | ${x.p99} | ${x.fps} | ${x.joinFirstFrameMs.map((v) => Math.round(v)).join(', ')} ms `
        + `| ${s(x.connectedMs)} | ${s(x.timeToTarget2MbpsMs)} | ${mb(x.sentBitrateBps)} | ${ms(x.jitterBufferDelayMs)} (${ms(x.videoMinimumDelayMs)}) `
        + `| ${ms(x.audioJitterBufferMs)} | ${ms(x.encodeMsPerFrame)} / ${ms(x.pacerMsPerPacket)} / ${ms(x.viewerProcessingMs)} `
        + `| ${ms(x.paintedToReceivedP50Ms)} / ${ms(x.receivedToShownP50Ms)} | ${diff} |`);
    }
  }
  lines.push('');
  lines.push(('How to read this: latency is the viewer\'s `Date.now()` when a frame is shown minus the `Date.now()` the '
    + 'presenter painted into that frame (one machine, one clock): paint, capture, encode, loopback network, the SFU, '
    + 'jitter buffer, decode and display. Values snap to 60 Hz display frames (~17 ms), hence a target of one frame '
    + 'for the difference. Quantiles are nearest-rank over the samples. "Time to 2 Mbit/s" is until the presenter\'s '
    + 'encoder target bitrate (`outbound-rtp.targetBitrate`, summed over simulcast layers, polled every 250 ms) '
    + 'reaches 2 Mbit/s; "sent" is what the encoder actually produced (all layers) during the sample window (a mostly static page needs much less than it may '
    + 'use). The direct reference answers with the browser\'s defaults (no start-bitrate hint), Projector asks for '
    + '2500 kbit/s. A joining viewer is timed from the navigation start of a new page to its first rendered frame. '
    + (CFG.audio && !CFG.directZeroPlayoutDelay ? 'With audio in the same stream and the default playout delay the '
      + 'direct viewer synchronises video to audio, so a growing audio jitter buffer (as on a loaded machine) holds '
      + 'its video back; `AUDIO=0` measures video alone.' : '')).trim());
  return lines.join('\n');
}

function writeDocs(section) {
  const begin = '<!-- glass-to-glass:begin -->';
  const end = '<!-- glass-to-glass:end -->';
  const block = `${begin}\n${section}\n${end}`;
  let text;
  if (fs.existsSync(CFG.docs)) {
    text = fs.readFileSync(CFG.docs, 'utf8');
    const a = text.indexOf(begin);
    const b = text.indexOf(end);
    if (a >= 0 && b > a) text = text.slice(0, a) + block + text.slice(b + end.length);
    else text = `${text.replace(/\s*$/, '')}\n\n${block}\n`;
  } else {
    text = '# Benchmarks\n\nMeasurements of Projector on real browsers. Every section is written by the script it names; '
      + 'rerun the script to refresh it.\n\n' + `${block}\n`;
  }
  fs.mkdirSync(path.dirname(CFG.docs), { recursive: true });
  fs.writeFileSync(CFG.docs, text);
}

// ------------------------------------------------------------------ main
async function main() {
  const started = Date.now();
  const meta = { date: new Date().toISOString(), loadavgStart: os.loadavg(), netns: CFG.netns,
    busyBeforeStart: await cpuBusy(3000), browserPriority: env.BENCH_BROWSER_PRIORITY || 'as started' };
  meta.machine = machine();
  meta.machine.javaVersion = javaVersion();
  meta.git = sh('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD']);
  meta.jar = { path: CFG.jar, builtAt: fs.existsSync(CFG.jar) ? fs.statSync(CFG.jar).mtime.toISOString() : null };
  log(`machine: ${meta.machine.nproc} cores, ${meta.machine.cpuModel}, ${meta.machine.memTotalGiB} GiB; `
    + `${meta.machine.chromiumVersion}; load ${meta.loadavgStart.map((x) => x.toFixed(2)).join(' ')}`);
  log(`config: RUNS=${CFG.runs} SAMPLES=${CFG.samples} WARMUP=${CFG.warmup} JOINS=${CFG.joins} AUDIO=${CFG.audio ? 1 : 0} PRESENTER_PARAMS=${CFG.presenterParams || '-'} DIRECT_PLAYOUT_DELAY=${CFG.directZeroPlayoutDelay ? 'zero' : 'default'}; jar ${CFG.jar}`);

  const staticBase = await startStaticServer();
  const { httpPort, mediaPort } = await startProjector();
  const bases = { static: staticBase, projector: `http://127.0.0.1:${httpPort}` };
  log(`Projector on ${bases.projector} (media UDP ${mediaPort}); direct pages on ${staticBase}`);

  const results = [];
  const failures = [];
  for (let run = 1; run <= CFG.runs; run++) {
    for (const p of ['direct', 'projector']) results.push(await measureWithRetry(p, run, bases, failures));
  }
  // The Projector path must really go through the SFU's media port.
  for (const r of results.filter((x) => x.path === 'projector')) {
    if (r.viewer?.pair?.remote?.port !== mediaPort) {
      throw new Error(`run ${r.run}: viewer's selected pair ${fmtPair(r.viewer?.pair)} is not the SFU's media port ${mediaPort}`);
    }
  }
  meta.loadavgEnd = os.loadavg();
  meta.durationS = Math.round((Date.now() - started) / 1000);
  const summary = summarize(results);
  meta.config = { ...CFG, projectorHttpPort: httpPort, projectorMediaPort: mediaPort, targets: TARGETS };

  fs.mkdirSync(path.dirname(CFG.results), { recursive: true });
  fs.writeFileSync(CFG.results, `${JSON.stringify({ meta, summary, failures, results }, null, 1)}\n`);
  log(`raw results: ${CFG.results}`);
  if (CFG.writeDocs) {
    await renderPlot(bases, results, summary, meta);
    writeDocs(docsSection(summary, meta));
    log(`wrote ${CFG.docs} and ${CFG.plot}`);
  }

  // ---- console summary
  console.log('\n=== glass-to-glass latency ===');
  for (const [name, x] of Object.entries(summary.byPath)) {
    console.log(`${name.padEnd(9)} p50 ${x.latency.p50} ms  p95 ${x.latency.p95} ms  p99 ${x.latency.p99} ms  `
      + `(n=${x.latency.n}; per-run p50 ${x.perRun.map((r) => r.p50).join('/')})  fps ${x.fps}  `
      + `join first frame p50 ${x.joinFirstFrame.p50} ms  2 Mbit/s after ${fmtMs(x.timeToTarget2MbpsMs)} `
      + `(runs: ${x.timeToTarget2MbpsAll.map(fmtMs).join(', ')})  sent ${(x.sentBitrateBps / 1e6).toFixed(2)} Mbit/s`);
  }
  console.log('targets:');
  for (const t of summary.targets) console.log(`  ${t.met ? 'MET    ' : 'MISSED '} ${t.name}: ${t.value} (target ${t.target})`);
  console.log(`load average start ${meta.loadavgStart.map((x) => x.toFixed(2)).join(' ')}, end ${meta.loadavgEnd.map((x) => x.toFixed(2)).join(' ')}; `
    + `took ${meta.durationS} s${failures.length ? `; ${failures.length} retried attempt(s)` : ''}`);
}

const overall = setTimeout(() => {
  console.error(`benchmark did not finish within ${CFG.timeoutMs / 1000} s`);
  cleanup().finally(() => process.exit(1));
}, CFG.timeoutMs);
main().then(async () => {
  clearTimeout(overall);
  await cleanup();
  process.exit(0);
}, async (e) => {
  clearTimeout(overall);
  console.error(`HARNESS FAILURE: ${e && e.stack ? e.stack : e}`);
  await cleanup();
  process.exit(1);
});
