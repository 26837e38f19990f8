// Source bytes → text. Articles arrive as UTF-8 (with or without a BOM),
// UTF-16 with a BOM, or GB18030/GBK from older newsroom systems. Anything we
// cannot decode with confidence is refused with a SourceError that says how
// to convert the file: a wrong guess would silently change the text.
import { analyse } from 'chardet';
import iconv from 'iconv-lite';
import { SourceError } from './errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes a source file and normalises CRLF / CR line endings to LF. */
export function decodeSource(bytes: Uint8Array, path: string): string {
  return normaliseLineEndings(checkText(decodeBytes(bytes, path), path));
}

/** True for data that is not text in any encoding we read: NUL bytes, a known file signature, many control bytes. */
export function isProbablyBinary(bytes: Uint8Array): boolean {
  return binaryKind(bytes) !== undefined;
}

function decodeBytes(bytes: Uint8Array, path: string): string {
  if (startsWith(bytes, [0x00, 0x00, 0xfe, 0xff]) || startsWith(bytes, [0xff, 0xfe, 0x00, 0x00])) {
    const from = bytes[0] === 0 ? 'UTF-32BE' : 'UTF-32LE';
    throw new SourceError(
      `${path}: the file is in ${from}, which presswork does not read; convert it to UTF-8 with \`${iconvCommand(from, path)}\``,
      path,
    );
  }
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return decodeUtf8(bytes.subarray(3), path, 3);
  if (startsWith(bytes, [0xff, 0xfe])) return decodeUtf16(bytes, 'utf-16le', path);
  if (startsWith(bytes, [0xfe, 0xff])) return decodeUtf16(bytes, 'utf-16be', path);
  // GB18030's own byte-order mark; iconv-lite strips it.
  if (startsWith(bytes, [0x84, 0x31, 0x95, 0x33])) return iconv.decode(Buffer.from(bytes), 'gb18030');

  const kind = binaryKind(bytes);
  if (kind !== undefined) {
    const utf16 = kind === 'data with NUL bytes' ? ' If it is text saved as UTF-16 without a byte-order mark, convert it with `' + iconvCommand('UTF-16LE', path) + '`.' : '';
    throw new SourceError(
      `${path}: this is ${kind}, not a text file; give presswork the article as plain text (UTF-8), e.g. export it from the word processor as "Plain Text".${utf16}`,
      path,
    );
  }

  const scan = scanUtf8(bytes);
  if (scan.firstInvalid < 0) return utf8.decode(bytes);

  // Mostly well-formed UTF-8 with a few bad bytes is a damaged UTF-8 file, not
  // another encoding (GBK text only forms a valid UTF-8 sequence by chance).
  if (scan.multibyte >= 10 * scan.invalid) {
    const { line, column } = position(bytes, scan.firstInvalid);
    const byte = (bytes[scan.firstInvalid] ?? 0).toString(16).toUpperCase().padStart(2, '0');
    throw new SourceError(
      `${path}:${line}:${column}: the file is UTF-8 but byte 0x${byte} there is not; the file was damaged (e.g. cut in the middle of a character) — retype the character at that place or get a clean copy of the file`,
      path,
      line,
      column,
    );
  }

  const guess = analyse(bytes)[0];
  if (looksLikeGb18030(bytes, guess)) return iconv.decode(Buffer.from(bytes), 'gb18030');

  const named = guess && guess.confidence >= 50 ? guess.name : undefined;
  const what = named ? `it looks like ${named}` : 'its encoding cannot be told with confidence';
  const remedy = named
    ? `convert it to UTF-8 with \`${iconvCommand(named, path)}\``
    : `find its encoding (e.g. \`file -i ${shellQuote(path)}\`) and convert it to UTF-8 with \`${iconvCommand('ENCODING', path)}\``;
  throw new SourceError(`${path}: the file is not UTF-8, UTF-16 or GB18030 (${what}); ${remedy}`, path);
}

function decodeUtf8(bytes: Uint8Array, path: string, offset: number): string {
  const scan = scanUtf8(bytes);
  if (scan.firstInvalid < 0) return utf8.decode(bytes);
  const { line, column } = position(bytes, scan.firstInvalid);
  throw new SourceError(
    `${path}:${line}:${column}: the file starts with a UTF-8 byte-order mark but byte ${scan.firstInvalid + offset} is not UTF-8; retype the character at that place or get a clean copy of the file`,
    path,
    line,
    column,
  );
}

function decodeUtf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be', path: string): string {
  try {
    // TextDecoder drops the byte-order mark itself.
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    const name = encoding.toUpperCase();
    throw new SourceError(
      `${path}: the file starts with a ${name} byte-order mark but is not valid ${name} (odd length or a broken surrogate pair); get a clean copy or convert it with \`${iconvCommand(name, path)}\` and check the result`,
      path,
    );
  }
}

/**
 * GB18030 is a superset of GBK and GB2312, so one decoder reads all three.
 * chardet recognises long GB texts; short ones it rates no better than any
 * other encoding, so we also accept bytes that are well-formed GB18030 whose
 * characters lie almost all in GB2312 (the 6,763 common hanzi). Big5 and
 * Shift_JIS text fails that test: many of their trail bytes fall outside it.
 */
function looksLikeGb18030(bytes: Uint8Array, guess: { name: string; confidence: number } | undefined): boolean {
  const gb = scanGb18030(bytes);
  if (!gb.wellFormed) return false;
  if (guess?.name === 'GB18030') return true;
  // A guess of another CJK encoding stands; a Latin one does not: chardet rates a mostly-ASCII file
  // (a config or edition.yml, its keys in English) as ISO-8859-1, and Latin text is almost never
  // pairs of GB2312 bytes.
  if (guess && guess.confidence >= 50 && !/^(ISO-8859-\d+|windows-125\d)$/i.test(guess.name)) return false;
  return gb.doubleByte > 0 && gb.inGb2312 >= 0.9 * gb.doubleByte;
}

function scanGb18030(bytes: Uint8Array): { wellFormed: boolean; doubleByte: number; inGb2312: number } {
  let doubleByte = 0;
  let inGb2312 = 0;
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    const trail = bytes[i + 1];
    if (lead === 0x80 || lead === 0xff || trail === undefined) return { wellFormed: false, doubleByte, inGb2312 };
    if (trail >= 0x30 && trail <= 0x39) {
      // four-byte sequence: lead, digit, 0x81–0xFE, digit
      const third = bytes[i + 2];
      const fourth = bytes[i + 3];
      if (third === undefined || fourth === undefined || third < 0x81 || third > 0xfe || fourth < 0x30 || fourth > 0x39) {
        return { wellFormed: false, doubleByte, inGb2312 };
      }
      i += 4;
      continue;
    }
    if (trail < 0x40 || trail === 0x7f || trail === 0xff) return { wellFormed: false, doubleByte, inGb2312 };
    doubleByte += 1;
    if (lead >= 0xa1 && lead <= 0xf7 && trail >= 0xa1) inGb2312 += 1;
    i += 2;
  }
  return { wellFormed: true, doubleByte, inGb2312 };
}

/** Where UTF-8 first breaks, and how much of the data is well-formed multi-byte UTF-8. */
function scanUtf8(bytes: Uint8Array): { firstInvalid: number; multibyte: number; invalid: number } {
  let firstInvalid = -1;
  let multibyte = 0;
  let invalid = 0;
  for (let i = 0; i < bytes.length; ) {
    const length = utf8SequenceLength(bytes, i);
    if (length === 0) {
      if (firstInvalid < 0) firstInvalid = i;
      invalid += 1;
      i += 1;
    } else {
      if (length > 1) multibyte += 1;
      i += length;
    }
  }
  return { firstInvalid, multibyte, invalid };
}

/** Length of the well-formed UTF-8 sequence at `i` (Unicode table 3-7), or 0. */
function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i]!;
  if (b0 < 0x80) return 1;
  const inRange = (offset: number, low: number, high: number) => {
    const b = bytes[i + offset];
    return b !== undefined && b >= low && b <= high;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) return inRange(1, 0x80, 0xbf) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const low = b0 === 0xe0 ? 0xa0 : 0x80;
    const high = b0 === 0xed ? 0x9f : 0xbf;
    return inRange(1, low, high) && inRange(2, 0x80, 0xbf) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const low = b0 === 0xf0 ? 0x90 : 0x80;
    const high = b0 === 0xf4 ? 0x8f : 0xbf;
    return inRange(1, low, high) && inRange(2, 0x80, 0xbf) && inRange(3, 0x80, 0xbf) ? 4 : 0;
  }
  return 0;
}

/** 1-based line and column (in characters) of byte `offset`, assuming the bytes before it are UTF-8. */
function position(bytes: Uint8Array, offset: number): { line: number; column: number } {
  return endPosition(utf8.decode(bytes.subarray(0, offset)));
}

/** 1-based line and column of the place just after `text`. */
function endPosition(text: string): { line: number; column: number } {
  const lines = normaliseLineEndings(text).split('\n');
  return { line: lines.length, column: [...(lines.at(-1) ?? '')].length + 1 };
}

const SIGNATURES: Array<{ bytes: number[]; kind: string }> = [
  { bytes: [0x89, 0x50, 0x4e, 0x47], kind: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], kind: 'a JPEG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], kind: 'a GIF image' },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], kind: 'a PDF document' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], kind: 'a ZIP archive (a .docx, .epub or .zip file)' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], kind: 'an old Word/Office document (.doc)' },
  { bytes: [0x1f, 0x8b], kind: 'a gzip archive' },
  { bytes: [0x7b, 0x5c, 0x72, 0x74, 0x66], kind: 'an RTF document' },
];

/** What kind of non-text data this is, or undefined when it may be text. */
function binaryKind(bytes: Uint8Array): string | undefined {
  for (const signature of SIGNATURES) if (startsWith(bytes, signature.bytes)) return signature.kind;
  if (bytes.includes(0)) return 'data with NUL bytes';
  // Text has at most a stray control character; a sample full of them is data.
  const sample = bytes.subarray(0, 8192);
  let controls = 0;
  for (const byte of sample) if (isControlByte(byte)) controls += 1;
  return sample.length > 0 && controls > sample.length * 0.05 ? 'binary data' : undefined;
}

function isControlByte(byte: number): boolean {
  // TAB, LF, VT, FF, CR and ESC occur in text files.
  return (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0b && byte !== 0x0c && byte !== 0x0d && byte !== 0x1b) || byte === 0x7f;
}

/**
 * Characters that cannot be printed and that XML (so the EPUB) cannot carry:
 * C0 and C1 controls but tab, LF and CR; DEL; the noncharacters U+FFFE and
 * U+FFFF; a surrogate without its pair. They usually mark a damaged file, and
 * refusing one at its place is better than dropping it unseen.
 */
export const UNPRINTABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const NAMES: Record<number, string> = {
  0x0b: 'a vertical tab',
  0x0c: 'a form feed, a page break from an old system',
  0x1a: 'an end-of-file mark from an old system',
  0x7f: 'a delete character',
};

/** Refuses text with a character that cannot be printed or stored as XML, naming its line and column. */
export function checkText(text: string, path: string): string {
  const match = UNPRINTABLE.exec(text);
  if (!match) return text;
  const { line, column } = endPosition(text.slice(0, match.index));
  const point = match[0].codePointAt(0)!;
  const code = point.toString(16).toUpperCase().padStart(4, '0');
  const what =
    point >= 0xd800 && point <= 0xdfff
      ? `half of a surrogate pair (U+${code}) without its other half`
      : `the ${point >= 0xfffe ? 'noncharacter' : 'control character'} U+${code}${NAMES[point] ? ` (${NAMES[point]})` : ''}`;
  const fix = point === 0x0c ? 'delete it, or put a blank line there if it separated two paragraphs' : 'delete it (or get a clean copy of the file)';
  throw new SourceError(`${path}:${line}:${column}: the text contains ${what}, which cannot be printed or stored in the EPUB; ${fix}`, path, line, column);
}

export function normaliseLineEndings(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/^\uFEFF/, '');
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.length <= bytes.length && prefix.every((byte, index) => bytes[index] === byte);
}

function iconvCommand(from: string, path: string): string {
  const target = path.replace(/(\.[^./\\]*)?$/, '.utf8$1');
  return `iconv -f ${from.toUpperCase()} -t UTF-8 ${shellQuote(path)} > ${shellQuote(target)}`;
}

function shellQuote(text: string): string {
  return /^[\w./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
