/**
 * WebSocket client for `/api/sessions/{id}/events`.
 *
 * Delivers the server's JSON messages (hello, presenter, viewers, ended, error,
 * pong) to a callback, pings every 15 s, treats a socket that stays silent for
 * 40 s as dead, and reconnects with backoff (0.5 s, 1 s, 2 s, ... max 10 s)
 * until an `ended` message arrives or close() is called.
 *
 * @module events
 */

/**
 * @typedef {object} EventsHandlers
 * @property {(msg: any) => void} onMessage every parsed server message
 * @property {(connected: boolean) => void} [onConnection] socket opened (true) or lost (false)
 */

const PING_INTERVAL_MS = 15000;
const SILENCE_LIMIT_MS = 40000;
const MAX_BACKOFF_MS = 10000;

/**
 * @param {string} sessionId
 * @returns {string} ws(s) URL on the page's origin
 */
export function eventsUrl(sessionId) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api/sessions/${encodeURIComponent(sessionId)}/events`;
}

export class SessionEvents {
  /**
   * Opens the socket immediately.
   * @param {string} sessionId
   * @param {EventsHandlers} handlers
   */
  constructor(sessionId, handlers) {
    this.url = eventsUrl(sessionId);
    this.handlers = handlers;
    /** @type {WebSocket|null} */
    this.ws = null;
    this.stopped = false;
    this.connected = false;
    this.attempt = 0;
    this.lastMessageAt = 0;
    /** @type {ReturnType<typeof setTimeout>|0} */
    this.retryTimer = 0;
    /** @type {ReturnType<typeof setInterval>|0} */
    this.pingTimer = 0;
    this.open();
  }

  /** @private */
  open() {
    if (this.stopped) return;
    let ws;
    try {
      ws = new WebSocket(this.url);
    } catch {
      this.retry();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      this.lastMessageAt = Date.now();
      this.setConnected(true);
      this.pingTimer = setInterval(() => this.ping(), PING_INTERVAL_MS);
    };
    ws.onmessage = (ev) => {
      this.lastMessageAt = Date.now();
      let msg;
      try { msg = JSON.parse(String(ev.data)); } catch { return; }
      if (!msg || typeof msg.type !== 'string') return;
      if (msg.type === 'hello') this.attempt = 0;
      if (msg.type === 'ended') this.stopped = true;
      try { this.handlers.onMessage(msg); } catch (e) { reportError(e); }
      if (this.stopped) this.teardown();
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.teardown();
      this.setConnected(false);
      this.retry();
    };
    ws.onerror = () => { /* onclose follows */ };
  }

  /** @private */
  ping() {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    if (Date.now() - this.lastMessageAt > SILENCE_LIMIT_MS) {
      // Half-open connection (e.g. laptop sleep, NAT timeout): force a reconnect.
      ws.onclose = null;
      this.teardown();
      this.setConnected(false);
      this.retry();
      return;
    }
    try { ws.send('{"type":"ping"}'); } catch { /* closing */ }
  }

  /** @private */
  retry() {
    if (this.stopped || this.retryTimer) return;
    const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 10);
    this.retryTimer = setTimeout(() => { this.retryTimer = 0; this.open(); }, delay);
  }

  /** @private */
  teardown() {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = 0;
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      try { ws.close(); } catch { /* already closed */ }
    }
  }

  /** @private */
  setConnected(value) {
    if (this.connected === value) return;
    this.connected = value;
    try { this.handlers.onConnection?.(value); } catch (e) { reportError(e); }
  }

  /** Closes the socket for good (no reconnect). */
  close() {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = 0;
    this.teardown();
  }
}

/** @param {unknown} e */
function reportError(e) {
  // A handler bug must not kill the socket loop; surface it once in the console.
  setTimeout(() => { throw e; });
}
