// The EPUB carries its own fonts, cut down to the characters it shows, so a
// reader with no CJK font still renders every character. The template's fonts
// come as unicode-range chunks (@fontsource splits a face into ~100 files);
// each chunk the article uses becomes one TrueType subset with a family name
// of its own, and every element's font-family lists its face's subsets, then
// the body face's: per-character fallback through a family list works in
// every CSS reading system, unicode-range does not.
import { readFile } from 'node:fs/promises';
import type { Element, Root } from 'hast';
import * as fontkit from 'fontkit';
import fontverter from 'fontverter';
import subsetFont from 'subset-font';
import { fileDrawing, needsGlyph, type LoadedFont } from '../layout/fonts.js';
import type { FaceRule } from './stylesheet.js';

export interface EmbeddedFont {
  /** Path inside the EPUB's content folder, e.g. `fonts/body-1.ttf`. */
  href: string;
  family: string;
  weight: number;
  bytes: Uint8Array;
  /** The characters this subset draws, in code point order. */
  characters: string;
}

export interface EmbeddedFonts {
  files: EmbeddedFont[];
  /** `@font-face` rules and the font-family of each face's elements. */
  css: string;
  /** Characters the book shows that none of the template's fonts draws. */
  undrawn: string[];
}

/** Kept in the subset's name table: copyright, names, version, license and its URL (the OFL asks for them). */
const NAME_IDS = [0, 1, 2, 3, 4, 5, 6, 13, 14];

interface Face {
  rule: FaceRule;
  font: LoadedFont;
  /** Characters to draw with this face. */
  characters: Set<string>;
}

/**
 * Subsets the fonts for `documents` (the book's XHTML trees, as rendered:
 * text nodes only). `rules` say which face sets which elements; the first
 * rule is the body face and the fallback of every other.
 */
export async function embedFonts(documents: Root[], rules: FaceRule[], fonts: LoadedFont[]): Promise<EmbeddedFonts> {
  const faces = rules.map((rule): Face => {
    const font = fonts.find((candidate) => candidate.family === rule.family && candidate.weight === rule.weight);
    if (!font) throw new Error(`the EPUB stylesheet sets ${rule.selector} in ${rule.family} ${rule.weight}, which is not one of the template's fonts`);
    return { rule, font, characters: new Set() };
  });
  const [body] = faces;
  if (!body) throw new Error('the template names no EPUB body face');

  const undrawn = new Set<string>();
  // Each face's answer per character: an article repeats its characters thousands of times.
  const drawers = new Map<Face, Map<string, Face | undefined>>(faces.map((face) => [face, new Map()]));
  for (const tree of documents) {
    collectText(tree, body, faces, (face, text) => {
      const known = drawers.get(face)!;
      // Collapsed white space is drawn as a space, which needs a glyph (its advance) too.
      for (const char of text.replace(/[\t\n\r]/g, ' ')) {
        if (char !== ' ' && !needsGlyph(char.codePointAt(0) ?? 0)) continue;
        if (known.has(char)) continue;
        // The element's face, else the body face, else any face of the template that has it.
        const drawer = [face, body, ...faces].find((candidate) => fileDrawing(candidate.font, char.codePointAt(0) ?? 0));
        known.set(char, drawer);
        if (drawer) drawer.characters.add(char);
        else undrawn.add(char);
      }
    });
  }

  const files: EmbeddedFont[] = [];
  const familiesOf = new Map<Face, string[]>();
  for (const [faceIndex, face] of faces.entries()) {
    const byFile = new Map<string, string[]>();
    for (const char of face.characters) {
      const path = fileDrawing(face.font, char.codePointAt(0) ?? 0);
      if (path) byFile.set(path, [...(byFile.get(path) ?? []), char]);
    }
    const families: string[] = [];
    // Chunk files in the stylesheet's order, characters in code point order: one input, one output.
    const chunks = face.font.files.map((file) => file.path).filter((path) => byFile.has(path));
    for (const [chunkIndex, path] of chunks.entries()) {
      const characters = sortByCodePoint(byFile.get(path) ?? []);
      const bytes = await subsetFont(await decodedChunk(path), characters.join(''), { targetFormat: 'sfnt', preserveNameIds: NAME_IDS });
      assertCovers(bytes, characters, path);
      const name = `f${faceIndex + 1}-${chunkIndex + 1}`;
      const family = `${face.font.family} ${face.font.weight} ${name}`;
      families.push(family);
      files.push({ href: `fonts/${name}.ttf`, family, weight: face.font.weight, bytes: new Uint8Array(bytes), characters: characters.join('') });
    }
    familiesOf.set(face, families);
  }

  const css = [
    ...files.map((file) => `@font-face { font-family: "${file.family}"; font-weight: ${file.weight}; font-style: normal; src: url("${file.href}") format("truetype"); }`),
    ...faces.map((face) => {
      const stack = [...new Set([...(familiesOf.get(face) ?? []), ...(familiesOf.get(body) ?? []), ...faces.flatMap((other) => familiesOf.get(other) ?? [])])];
      return `${face.rule.selector} { font-family: ${[...stack.map((family) => `"${family}"`), face.rule.generic].join(', ')}; font-weight: ${face.font.weight}; }`;
    }),
  ].join('\n');
  return { files, css: `${css}\n`, undrawn: [...undrawn] };
}

/** Decoded chunks kept for the next EPUB, the least recently used dropped first past this many bytes. */
const DECODED_BUDGET = 16 * 1024 * 1024;
const decoded = new Map<string, Promise<Buffer>>();
const decodedBytes = new Map<string, number>();

/**
 * The chunk at `path` as TrueType, which is what subset-font turns a WOFF2 file into before it
 * subsets (fontverter, wasm Brotli): decoding the seed's 61 chunks took 78 ms of every EPUB, and a
 * batch's articles draw from the same chunks. The ~500 chunks of the template decode to 40 MB, so
 * only the recently used ones are kept.
 */
function decodedChunk(path: string): Promise<Buffer> {
  const kept = decoded.get(path);
  if (kept) {
    decoded.delete(path);
    decoded.set(path, kept);
    return kept;
  }
  const decoding = readFile(path).then((bytes) => fontverter.convert(bytes, 'truetype'));
  decoded.set(path, decoding);
  // Either outcome counts only for the entry still kept: one dropped while it decoded is not the cache's any more.
  const current = () => decoded.get(path) === decoding;
  decoding.then(
    (bytes) => {
      if (!current()) return;
      decodedBytes.set(path, bytes.byteLength);
      let total = [...decodedBytes.values()].reduce((sum, size) => sum + size, 0);
      for (const oldest of decoded.keys()) {
        if (total <= DECODED_BUDGET) break;
        total -= decodedBytes.get(oldest) ?? 0;
        decoded.delete(oldest);
        decodedBytes.delete(oldest);
      }
    },
    () => {
      if (current()) decoded.delete(path);
    },
  );
  return decoding;
}

/** What a decimal list's markers draw. */
const LIST_MARKERS = '0123456789.';

/** Calls `visit` with each text node's value and the face its nearest styled ancestor names. */
function collectText(tree: Root, body: Face, faces: Face[], visit: (face: Face, text: string) => void): void {
  const walk = (node: Root | Element, face: Face): void => {
    for (const child of node.children) {
      if (child.type === 'text') visit(face, child.value);
      else if (child.type === 'element') {
        // Elements a reader does not render as text.
        if (['head', 'script', 'style', 'template'].includes(child.tagName)) continue;
        // A later rule wins over an earlier one for the same element, as in the cascade.
        const own = faces.findLast((candidate) => matches(child, candidate.rule.selector));
        // A numbered list's markers (1. 2. …, the footnotes' too) are drawn by the reader in the list's font, not written in the text.
        if (child.tagName === 'ol') visit(own ?? face, LIST_MARKERS);
        walk(child, own ?? face);
      }
    }
  };
  walk(tree, body);
}

/** Selector lists of simple selectors only: `tag`, `.class`, `tag.class`. */
export function matches(node: Element, selectorList: string): boolean {
  return selectorList.split(',').some((selector) => {
    const match = /^\s*([a-z][a-z0-9]*)?((?:\.[\w-]+)*)\s*$/i.exec(selector);
    if (!match) throw new Error(`EPUB font selector "${selector.trim()}" is not a tag, .class or tag.class`);
    const [, tag, classes = ''] = match;
    if (tag && tag.toLowerCase() !== node.tagName) return false;
    const classNames = Array.isArray(node.properties.className) ? node.properties.className.map(String) : [];
    return classes.split('.').filter(Boolean).every((name) => classNames.includes(name));
  });
}

function sortByCodePoint(characters: string[]): string[] {
  return [...characters].sort((a, b) => (a.codePointAt(0) ?? 0) - (b.codePointAt(0) ?? 0));
}

/** The subset's cmap, not the chunk's unicode-range, is what a reader sees. */
function assertCovers(bytes: Buffer, characters: string[], source: string): void {
  const font = fontkit.create(bytes) as unknown as { hasGlyphForCodePoint(codePoint: number): boolean };
  const lost = characters.filter((char) => !font.hasGlyphForCodePoint(char.codePointAt(0) ?? 0));
  if (lost.length > 0) throw new Error(`the subset of ${source} lost ${lost.join('')}`);
}
