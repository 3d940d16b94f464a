#!/usr/bin/env node
// Generates the add-in icons (assets/icon-{16,32,64,80,128}.png) without any image tool:
// the shapes are rasterised here with 4x4 supersampling and written as RGBA PNGs with node:zlib.
//
// Design: a rounded square in Sidecar's accent blue; inside it, in white, a page (folded corner,
// lines of text) with a narrow pane attached beside it: the "sidecar" riding next to the
// document. Sizes under 32 px drop the text lines and the fold so the shape stays legible.
//
// Usage: node scripts/make-icons.mjs [outDir]   (default: assets/)
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";

const here = dirname(fileURLToPath(import.meta.url));
const outDir = resolve(process.argv[2] ?? join(here, "..", "assets"));
const SIZES = [16, 32, 64, 80, 128];

const ACCENT_TOP = [0x1f, 0x6f, 0xeb]; // gradient from a lighter blue at the top…
const ACCENT_BOTTOM = [0x0f, 0x4c, 0xb8]; // …to a deeper blue at the bottom
const WHITE = [0xff, 0xff, 0xff];
const PALE = [0xb9, 0xd2, 0xfa];

// ---- geometry, in a 0..1 unit square --------------------------------------------------------

function insideRoundedRect(x, y, x0, y0, x1, y1, r) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** What covers a point: "bg" (transparent), "tile" (accent), "mark" (white) or "flap" (pale tint). */
function shapeAt(x, y, size) {
  if (!insideRoundedRect(x, y, 0, 0, 1, 1, size <= 16 ? 0.19 : 0.22)) return "bg";
  const small = size <= 16;
  const detailed = size >= 32;
  // The document: a page with a folded corner (top right) and lines of text.
  const docX0 = 0.16;
  const docX1 = small ? 0.58 : 0.6;
  const docY0 = 0.17;
  const docY1 = 0.83;
  const fold = small ? 0 : 0.14;
  let doc = insideRoundedRect(x, y, docX0, docY0, docX1, docY1, 0.05);
  if (doc && fold && x > docX1 - fold && y < docY0 + fold && y - docY0 < x - (docX1 - fold)) doc = false;
  // The turned-over flap: the lower-left half of the cut corner, in a pale tint.
  const flap = !!fold && detailed && x > docX1 - fold && y < docY0 + fold && y - docY0 >= x - (docX1 - fold);
  // Text lines, cut out of the page in the accent colour.
  const lines = detailed
    ? [
        [0.41, 0.5],
        [0.53, 0.5],
        [0.65, 0.42],
      ].some(([ly, lx1]) => insideRoundedRect(x, y, docX0 + 0.08, ly, lx1, ly + 0.06, 0.03))
    : false;
  // The sidecar: a narrower, shorter pane riding beside the page.
  const paneX0 = small ? 0.66 : 0.68;
  const pane = insideRoundedRect(x, y, paneX0, small ? 0.36 : 0.34, 0.85, docY1, 0.05);
  if (flap) return "flap";
  if ((doc && !lines) || pane) return "mark";
  return "tile";
}

// ---- raster -----------------------------------------------------------------------------------

function render(size) {
  const ss = 4; // 4x4 samples per pixel
  const rgba = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    const t = py / Math.max(1, size - 1);
    const accent = ACCENT_TOP.map((c, i) => Math.round(c + (ACCENT_BOTTOM[i] - c) * t));
    for (let px = 0; px < size; px++) {
      let tile = 0;
      let mark = 0;
      let flap = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const what = shapeAt((px + (sx + 0.5) / ss) / size, (py + (sy + 0.5) / ss) / size, size);
          if (what === "tile") tile++;
          else if (what === "mark") mark++;
          else if (what === "flap") flap++;
        }
      }
      const covered = tile + mark + flap;
      const o = (py * size + px) * 4;
      if (covered === 0) continue; // fully transparent
      // Colour: the covered samples' colours averaged (straight alpha).
      for (let i = 0; i < 3; i++) rgba[o + i] = Math.round((accent[i] * tile + WHITE[i] * mark + PALE[i] * flap) / covered);
      rgba[o + 3] = Math.round((255 * covered) / (ss * ss));
    }
  }
  return rgba;
}

// ---- PNG encoding -------------------------------------------------------------------------------

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  ihdr[10] = 0; // deflate
  ihdr[11] = 0; // adaptive filtering
  ihdr[12] = 0; // no interlace
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter: none
    rgba.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

mkdirSync(outDir, { recursive: true });
for (const size of SIZES) {
  const file = join(outDir, `icon-${size}.png`);
  const png = encodePng(size, size, render(size));
  writeFileSync(file, png);
  console.log(`wrote ${file} (${size}x${size}, ${png.length} bytes)`);
}
