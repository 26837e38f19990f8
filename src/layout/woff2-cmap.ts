// The cmap of a WOFF2 file, read with node's native Brotli. fontkit reads WOFF2
// through a Brotli decoder written in JavaScript: about 30 ms a chunk, and a
// cold build asks about some 70 chunks (2 s of the build's own CPU). The cmap
// is never transformed in WOFF2, so it is cut out of the decompressed tables
// and handed to fontkit as a one-table TrueType font, which reads it the same.
import { brotliDecompressSync } from 'node:zlib';

/** WOFF2's known-table tags, by the index in a directory entry's flags (WOFF2 spec, 5.1). */
const KNOWN_TAGS = [
  'cmap', 'head', 'hhea', 'hmtx', 'maxp', 'name', 'OS/2', 'post', 'cvt ', 'fpgm', 'glyf', 'loca', 'prep', 'CFF ', 'VORG', 'EBDT',
  'EBLC', 'gasp', 'hdmx', 'kern', 'LTSH', 'PCLT', 'VDMX', 'vhea', 'vmtx', 'BASE', 'GDEF', 'GPOS', 'GSUB', 'EBSC', 'JSTF', 'MATH',
  'CBDT', 'CBLC', 'COLR', 'CPAL', 'SVG ', 'sbix', 'acnt', 'avar', 'bdat', 'bloc', 'bsln', 'cvar', 'fdsc', 'feat', 'fmtx', 'fvar',
  'gvar', 'hsty', 'just', 'lcar', 'mort', 'morx', 'opbd', 'prop', 'trak', 'Zapf', 'Silf', 'Glat', 'Gloc', 'Feat', 'Sill',
];
const HEADER_BYTES = 48;

export function isWoff2(bytes: Uint8Array): boolean {
  return bytes.byteLength >= HEADER_BYTES && String.fromCharCode(...bytes.subarray(0, 4)) === 'wOF2';
}

/** A TrueType font holding only `bytes`' cmap table; throws on a WOFF2 it cannot read (a collection, no cmap). */
export function woff2CmapFont(bytes: Uint8Array): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!isWoff2(bytes)) throw new Error('not a WOFF2 file');
  if (view.getUint32(4) === 0x74746366) throw new Error('a WOFF2 font collection');
  const tables = view.getUint16(12);
  let at = HEADER_BYTES;
  const base128 = (): number => {
    let value = 0;
    for (let index = 0; index < 5; index++) {
      const byte = view.getUint8(at++);
      value = value * 128 + (byte & 0x7f);
      if ((byte & 0x80) === 0) return value;
    }
    throw new Error('a WOFF2 UIntBase128 longer than 5 bytes');
  };
  let cmap: { offset: number; length: number } | undefined;
  let offset = 0;
  for (let table = 0; table < tables; table++) {
    const flags = view.getUint8(at++);
    const tag = (flags & 0x3f) === 0x3f ? String.fromCharCode(...bytes.subarray(at, (at += 4))) : KNOWN_TAGS[flags & 0x3f];
    const length = base128();
    const version = flags >> 6;
    // glyf and loca are transformed unless their version is 3; every other table only when it is not 0.
    const transformed = tag === 'glyf' || tag === 'loca' ? version !== 3 : version !== 0;
    const stored = transformed ? base128() : length;
    if (tag === 'cmap') cmap = { offset, length: stored };
    offset += stored;
  }
  if (!cmap) throw new Error('a WOFF2 file without a cmap');
  const compressed = view.getUint32(20);
  const tablesData = brotliDecompressSync(bytes.subarray(at, at + compressed));
  const table = tablesData.subarray(cmap.offset, cmap.offset + cmap.length);
  if (table.byteLength !== cmap.length) throw new Error('a WOFF2 file shorter than its table directory says');
  // sfnt header (12 bytes) + one table record (16 bytes), then the table.
  const font = new Uint8Array(28 + table.byteLength);
  const out = new DataView(font.buffer);
  out.setUint32(0, 0x00010000);
  out.setUint16(4, 1);
  out.setUint16(6, 16); // searchRange for one table
  out.setUint16(8, 0); // entrySelector
  out.setUint16(10, 0); // rangeShift
  font.set([...'cmap'].map((char) => char.charCodeAt(0)), 12);
  out.setUint32(20, 28);
  out.setUint32(24, table.byteLength);
  font.set(table, 28);
  return font;
}
