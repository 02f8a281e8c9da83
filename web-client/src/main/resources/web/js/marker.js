/**
 * Glass-to-glass measurement strip, shared by the presenter and viewer pages.
 *
 * Layout: 80 bits painted as 2 rows x 40 square blocks across the full page
 * width at the very top of the page. Block size = page width / 40, so the
 * strip is exactly 5vw tall. Black block = 0, white block = 1. Bits are read
 * row by row, left to right, most significant bit first:
 *
 *   bits  0..47  capture time, Date.now() in ms (48 bits, unsigned)
 *   bits 48..63  frame counter (16 bits, wraps at 65536)
 *   bits 64..79  checksum: CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF,
 *                no reflection, no final xor) over the 8 payload bytes
 *                (6 time bytes big-endian, then 2 counter bytes big-endian)
 *
 * Row 0 holds bits 0..39, row 1 holds bits 40..79. The CRC detects every
 * 1-, 2- and 3-bit error and every burst up to 16 bits, and an all-black or
 * all-white strip never verifies, so a frame without a strip is rejected.
 *
 * The decoder works at any uniform scaling of the captured page: block size
 * = frameWidth / 40, and it averages the luminance of a small square around
 * each block centre (> 128 means 1).
 *
 * @module marker
 */

export const MARKER_COLUMNS = 40;
export const MARKER_ROWS = 2;
export const MARKER_BITS = MARKER_COLUMNS * MARKER_ROWS; // 80

const TWO_32 = 2 ** 32;
const TWO_48 = 2 ** 48;

/**
 * CRC-16/CCITT-FALSE ("123456789" -> 0x29B1).
 * @param {ArrayLike<number>} bytes
 * @returns {number} 16-bit checksum
 */
export function crc16(bytes) {
  let crc = 0xffff;
  for (let i = 0; i < bytes.length; i++) {
    crc ^= (bytes[i] & 0xff) << 8;
    for (let b = 0; b < 8; b++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
  }
  return crc;
}

/**
 * The 8 payload bytes: 48-bit time then 16-bit counter, big-endian.
 * @param {number} timeMs integer in [0, 2^48)
 * @param {number} counter integer in [0, 65536)
 * @returns {Uint8Array}
 */
function payloadBytes(timeMs, counter) {
  const hi = Math.floor(timeMs / TWO_32); // upper 16 bits
  const lo = timeMs % TWO_32; // lower 32 bits (exact, no bitwise overflow)
  return Uint8Array.of(
    (hi >>> 8) & 0xff, hi & 0xff,
    Math.floor(lo / 2 ** 24) & 0xff, Math.floor(lo / 2 ** 16) & 0xff,
    Math.floor(lo / 2 ** 8) & 0xff, lo & 0xff,
    (counter >>> 8) & 0xff, counter & 0xff,
  );
}

/**
 * Encodes a timestamp and counter as the 80 marker bits.
 * @param {number} timeMs milliseconds since the epoch (e.g. Date.now())
 * @param {number} counter frame counter; only the low 16 bits are kept
 * @returns {Uint8Array} 80 entries, each 0 or 1, in strip order
 */
export function encodeMarker(timeMs, counter) {
  const t = Math.floor(timeMs) % TWO_48;
  const c = counter & 0xffff;
  const bytes = payloadBytes(t, c);
  const crc = crc16(bytes);
  const all = [...bytes, crc >>> 8, crc & 0xff];
  const bits = new Uint8Array(MARKER_BITS);
  for (let i = 0; i < MARKER_BITS; i++) {
    bits[i] = (all[i >> 3] >> (7 - (i & 7))) & 1;
  }
  return bits;
}

/**
 * @typedef {object} MarkerValue
 * @property {number} timeMs painted Date.now() value
 * @property {number} counter 16-bit frame counter
 */

/**
 * Decodes 80 bits and verifies the checksum.
 * @param {ArrayLike<number>} bits 80 entries, 0 or 1
 * @returns {MarkerValue|null} null when the checksum does not match
 */
export function decodeBits(bits) {
  if (!bits || bits.length < MARKER_BITS) return null;
  const bytes = new Uint8Array(10);
  for (let i = 0; i < MARKER_BITS; i++) {
    if (bits[i]) bytes[i >> 3] |= 1 << (7 - (i & 7));
  }
  const crc = (bytes[8] << 8) | bytes[9];
  if (crc16(bytes.subarray(0, 8)) !== crc) return null;
  const timeMs = (bytes[0] * 256 + bytes[1]) * TWO_32
    + bytes[2] * 2 ** 24 + bytes[3] * 2 ** 16 + bytes[4] * 2 ** 8 + bytes[5];
  const counter = (bytes[6] << 8) | bytes[7];
  return { timeMs, counter };
}

/**
 * Height in pixels of the strip for a frame (or page) of the given width.
 * @param {number} width frame width in pixels
 * @returns {number}
 */
export function markerStripHeight(width) {
  return Math.ceil((width * MARKER_ROWS) / MARKER_COLUMNS);
}

/**
 * Paints the 80 bits on a 2D context covering [0, width) x [0, 2*width/40).
 * Block edges are rounded to whole pixels so neighbouring blocks never blend.
 * @param {CanvasRenderingContext2D} ctx
 * @param {number} width drawing width in canvas pixels
 * @param {ArrayLike<number>} bits 80 marker bits
 */
export function drawMarker(ctx, width, bits) {
  const block = width / MARKER_COLUMNS;
  const height = Math.round(block * MARKER_ROWS);
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, Math.round(width), height);
  ctx.fillStyle = '#fff';
  for (let r = 0; r < MARKER_ROWS; r++) {
    const y0 = Math.round(r * block);
    const y1 = Math.round((r + 1) * block);
    for (let c = 0; c < MARKER_COLUMNS; c++) {
      if (!bits[r * MARKER_COLUMNS + c]) continue;
      const x0 = Math.round(c * block);
      const x1 = Math.round((c + 1) * block);
      ctx.fillRect(x0, y0, x1 - x0, y1 - y0);
    }
  }
}

/**
 * @typedef {object} MarkerPainter
 * @property {HTMLCanvasElement} canvas the fixed strip element
 * @property {() => number} frames number of strips painted so far
 * @property {() => void} stop removes the strip and stops painting
 */

/**
 * Adds a fixed canvas at the top of the page (above everything, ignoring
 * pointer events) and repaints the strip with Date.now() and an incrementing
 * counter on every animation frame.
 * @param {Document} [doc]
 * @returns {MarkerPainter}
 */
export function startMarkerPainter(doc = document) {
  const win = doc.defaultView || window;
  const canvas = doc.createElement('canvas');
  canvas.className = 'marker-strip';
  canvas.setAttribute('aria-hidden', 'true');
  Object.assign(canvas.style, {
    position: 'fixed', left: '0', top: '0', margin: '0', padding: '0', border: '0',
    zIndex: '2147483647', pointerEvents: 'none', display: 'block',
  });
  doc.body.appendChild(canvas);
  const ctx = canvas.getContext('2d', { alpha: false });
  let counter = 0;
  let painted = 0;
  let raf = 0;
  let cssWidth = 0;
  let dpr = 0;

  function layout() {
    cssWidth = win.innerWidth;
    dpr = win.devicePixelRatio || 1;
    const cssBlock = cssWidth / MARKER_COLUMNS;
    canvas.style.width = `${cssWidth}px`;
    canvas.style.height = `${cssBlock * MARKER_ROWS}px`;
    canvas.width = Math.round(cssWidth * dpr);
    canvas.height = Math.round(cssBlock * MARKER_ROWS * dpr);
  }

  function paint() {
    if (win.innerWidth !== cssWidth || (win.devicePixelRatio || 1) !== dpr) layout();
    drawMarker(ctx, canvas.width, encodeMarker(Date.now(), counter));
    counter = (counter + 1) & 0xffff;
    painted++;
    raf = win.requestAnimationFrame(paint);
  }

  layout();
  paint();
  return {
    canvas,
    frames: () => painted,
    stop() {
      win.cancelAnimationFrame(raf);
      canvas.remove();
    },
  };
}

/**
 * @typedef {object} StripDecodeResult
 * @property {MarkerValue|null} value decoded marker, null on failure
 * @property {boolean} blank true when all 80 blocks read the same colour: no strip
 *   in the picture at all (e.g. a frame not yet drawable, or capture of another
 *   surface) rather than a damaged strip
 * @property {Uint8Array} bits the 80 sampled bits
 */

/**
 * Samples the 80 blocks from RGBA pixels of the top of a frame and decodes them.
 * @param {Uint8ClampedArray|Uint8Array} data RGBA pixels, rows of `stride` pixels
 * @param {number} frameWidth width of the full frame in pixels (block = frameWidth/40)
 * @param {number} rows number of pixel rows available in `data`
 * @param {number} [stride] pixels per row in `data` (defaults to frameWidth)
 * @returns {StripDecodeResult}
 */
export function decodeStrip(data, frameWidth, rows, stride = frameWidth) {
  const block = frameWidth / MARKER_COLUMNS;
  // Average a (2r+1)^2 square around each centre: 3x3 on small frames, up to
  // 7x7 on big ones, always well inside the block.
  const radius = Math.max(1, Math.min(3, Math.floor(block / 8)));
  const bits = new Uint8Array(MARKER_BITS);
  for (let r = 0; r < MARKER_ROWS; r++) {
    const cy = Math.min(rows - 1, Math.floor((r + 0.5) * block));
    for (let c = 0; c < MARKER_COLUMNS; c++) {
      const cx = Math.floor((c + 0.5) * block);
      let sum = 0;
      let n = 0;
      for (let y = cy - radius; y <= cy + radius; y++) {
        if (y < 0 || y >= rows) continue;
        for (let x = cx - radius; x <= cx + radius; x++) {
          if (x < 0 || x >= frameWidth) continue;
          const i = (y * stride + x) * 4;
          // BT.601 luma, integer weights summing to 1024.
          sum += (306 * data[i] + 601 * data[i + 1] + 117 * data[i + 2]) >> 10;
          n++;
        }
      }
      bits[r * MARKER_COLUMNS + c] = n > 0 && sum / n > 128 ? 1 : 0;
    }
  }
  const ones = bits.reduce((a, b) => a + b, 0);
  return { value: decodeBits(bits), blank: ones === 0 || ones === MARKER_BITS, bits };
}

/**
 * Reads the strip from video frames: draws only the top strip rows of the
 * current frame on a canvas as wide as the video's intrinsic width, reads those
 * rows back and decodes them. The first frame of a stream is sometimes not yet
 * drawable inside its requestVideoFrameCallback and reads as blank.
 */
export class MarkerReader {
  constructor() {
    /** @type {HTMLCanvasElement|OffscreenCanvas} */
    this.canvas = typeof OffscreenCanvas === 'function'
      ? new OffscreenCanvas(1, 1) : document.createElement('canvas');
    /** @type {CanvasRenderingContext2D|OffscreenCanvasRenderingContext2D|null} */
    this.ctx = this.canvas.getContext('2d', { willReadFrequently: true, alpha: false });
  }

  /**
   * @param {CanvasImageSource} source usually the <video> element
   * @param {number} width intrinsic frame width (video.videoWidth)
   * @param {number} height intrinsic frame height (video.videoHeight)
   * @returns {StripDecodeResult|null} null when the frame is too small to hold a strip
   */
  read(source, width, height) {
    if (!this.ctx || width < MARKER_COLUMNS || height < 2) return null;
    const rows = Math.min(height, markerStripHeight(width) + 1);
    if (this.canvas.width !== width) this.canvas.width = width;
    if (this.canvas.height !== rows) this.canvas.height = rows;
    // Source rectangle = the top `rows` rows of the frame, unscaled.
    this.ctx.drawImage(source, 0, 0, width, rows, 0, 0, width, rows);
    const { data } = this.ctx.getImageData(0, 0, width, rows);
    return decodeStrip(data, width, rows);
  }
}
