// The template's fonts, as shipped through npm: where their @font-face rules
// live, which file serves which code point, and whether that file really
// draws it. A unicode-range only says a file *may* hold a character; the cmap
// is the ground truth (TYPESETTING.md: Chromium can report a missing glyph as
// drawn by a web font).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import * as fontkit from 'fontkit';
import { isWoff2, woff2CmapFont } from './woff2-cmap.js';

export interface FontSpec {
  /** What the face sets on the page, in the desk's words. */
  role: string;
  family: string;
  weight: number;
  /** The package's @font-face stylesheet, as a module specifier. */
  css: string;
}

export interface FontFile {
  path: string;
  ranges: Array<[number, number]>;
}

export interface LoadedFont extends FontSpec {
  /** Absolute path of the stylesheet. */
  cssPath: string;
  files: FontFile[];
}

const require = createRequire(import.meta.url);

/** Resolves a font package stylesheet (e.g. `@fontsource/noto-serif-sc/400.css`). */
export function resolveFontCss(specifier: string): string {
  return require.resolve(specifier);
}

const fontFaceRule = /@font-face\s*{([^}]*)}/g;

/** Reads the @font-face rules of a font package stylesheet. */
export function parseFontFaceCss(css: string, cssPath: string): FontFile[] {
  const files: FontFile[] = [];
  for (const match of css.matchAll(fontFaceRule)) {
    const body = match[1] ?? '';
    // Prefer WOFF2: TrueType-outline WOFF2 prints as CID TrueType subsets.
    const urls = [...body.matchAll(/url\(\s*['"]?([^'")]+)['"]?\s*\)\s*format\(\s*['"]?([\w-]+)/g)];
    const url = urls.find((u) => u[2] === 'woff2')?.[1] ?? urls[0]?.[1];
    if (!url) continue;
    const range = /unicode-range\s*:\s*([^;]+)/.exec(body)?.[1];
    files.push({
      path: resolve(dirname(cssPath), url),
      ranges: range ? parseUnicodeRange(range) : [[0, 0x10ffff]],
    });
  }
  return files;
}

/** `U+4e00-9fff, U+3000, U+30??` → inclusive ranges. */
export function parseUnicodeRange(value: string): Array<[number, number]> {
  return value
    .split(',')
    .map((part) => part.trim().replace(/^U\+/i, ''))
    .filter(Boolean)
    .map((part): [number, number] => {
      if (part.includes('?')) {
        return [parseInt(part.replace(/\?/g, '0'), 16), parseInt(part.replace(/\?/g, 'f'), 16)];
      }
      const [from, to] = part.split('-');
      const start = parseInt(from ?? '', 16);
      return [start, to === undefined ? start : parseInt(to, 16)];
    });
}

export function loadFonts(specs: FontSpec[]): LoadedFont[] {
  return specs.map((spec) => {
    const cssPath = resolveFontCss(spec.css);
    return { ...spec, cssPath, files: parseFontFaceCss(readFileSync(cssPath, 'utf8'), cssPath) };
  });
}

interface Cmap {
  hasGlyphForCodePoint(codePoint: number): boolean;
}

const cmapCache = new Map<string, Cmap>();

function openCmap(path: string): Cmap {
  let font = cmapCache.get(path);
  if (!font) {
    const bytes = readFileSync(path);
    // fontkit's own WOFF2 reading decompresses in JavaScript, 30× slower than node's Brotli (see woff2-cmap.ts).
    font = fontkit.create(isWoff2(bytes) ? Buffer.from(woff2CmapFont(bytes)) : bytes) as unknown as Cmap;
    cmapCache.set(path, font);
  }
  return font;
}

/** Each font's answers so far: a batch asks about the same few thousand characters for every article. */
const drawingFiles = new WeakMap<LoadedFont, Map<number, string | undefined>>();

/** The file of `font` that serves `codePoint`, if it really holds a glyph for it. */
export function fileDrawing(font: LoadedFont, codePoint: number): string | undefined {
  let answers = drawingFiles.get(font);
  if (!answers) drawingFiles.set(font, (answers = new Map()));
  if (answers.has(codePoint)) return answers.get(codePoint);
  // A search through some hundred files' ranges: 55 ms of every EPUB of the seed when it was not kept.
  const file = font.files.find((candidate) => candidate.ranges.some(([from, to]) => codePoint >= from && codePoint <= to) && openCmap(candidate.path).hasGlyphForCodePoint(codePoint));
  answers.set(codePoint, file?.path);
  return file?.path;
}

/** Characters that never need a glyph (layout controls and spaces). */
export function needsGlyph(codePoint: number): boolean {
  return !(codePoint <= 0x20 || (codePoint >= 0x7f && codePoint <= 0xa0) || codePoint === 0x200b || codePoint === 0xfeff);
}

/** The distinct characters of `text` that `font` cannot draw, in order of first appearance. */
export function missingGlyphs(font: LoadedFont, text: string): string[] {
  const missing: string[] = [];
  const seen = new Set<string>();
  for (const char of text) {
    if (seen.has(char)) continue;
    seen.add(char);
    const codePoint = char.codePointAt(0) ?? 0;
    if (needsGlyph(codePoint) && !fileDrawing(font, codePoint)) missing.push(char);
  }
  return missing;
}

/** Characters of `text` that no font of the stack draws: the stacks fall back to one another. */
export function undrawable(fonts: LoadedFont[], text: string): string[] {
  const [first, ...rest] = fonts;
  if (!first) return [...new Set(text)].filter((char) => needsGlyph(char.codePointAt(0) ?? 0));
  return missingGlyphs(first, text).filter((char) => rest.every((font) => missingGlyphs(font, char).length > 0));
}
