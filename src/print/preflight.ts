// Preflight: the faults a print desk looks for before a page goes to press,
// each as { ok, count, items }. Computed from measurements of the laid-out
// page and from the fonts' cmaps; pure, so every check can be tested alone.
import { undrawable, type LoadedFont } from '../layout/fonts.js';
import type { FitResult } from './copyfit.js';
import { imageFaults, type PrintedImage } from './images.js';
import { isOrphanLine, kinsokuViolations, type PrintedLine } from './kinsoku.js';

export interface Check {
  ok: boolean;
  count: number;
  items: string[];
}

export interface Preflight {
  ok: boolean;
  pages: number;
  /** Share of the body box's height its tallest column uses. */
  fill: number;
  bodySize: number;
  copyfitIterations: number;
  lines: number;
  overflow: Check;
  kinsoku: Check;
  orphanLines: Check;
  missingGlyphs: Check;
  /** Images that did not load or print under 200 ppi. */
  images: Check;
}

export interface PreflightInput {
  pages: number;
  fit: FitResult;
  lines: PrintedLine[];
  /** Every character the page prints. */
  text: string;
  fonts: LoadedFont[];
  /** The page's images as printed; none when absent. */
  images?: PrintedImage[];
}

function check(items: string[]): Check {
  return { ok: items.length === 0, count: items.length, items };
}

export function codePointLabel(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

export function preflight({ pages, fit, lines, text, fonts, images = [] }: PreflightInput): Preflight {
  const overflow = check(fit.overflows ? ['the body overflows its columns on page 1: text would be cut'] : []);
  const kinsoku = check(
    kinsokuViolations(lines).map(
      ({ rule, line, char }) => `${rule === 'line-start' ? 'line starts with' : 'line ends with'} “${char}”: ${line.text}`,
    ),
  );
  const orphanLines = check(lines.filter(isOrphanLine).map((line) => `paragraph ${line.block + 1} ends on a line of its own: ${line.text}`));
  const missingGlyphs = check(undrawable(fonts, text).map((char) => `${char} ${codePointLabel(char)}`));
  const imageCheck = check(imageFaults(images));
  return {
    ok: overflow.ok && kinsoku.ok && orphanLines.ok && missingGlyphs.ok && imageCheck.ok,
    pages,
    fill: Math.round(fit.fill * 1000) / 1000,
    bodySize: fit.bodySize,
    copyfitIterations: fit.iterations,
    lines: lines.length,
    overflow,
    kinsoku,
    orphanLines,
    missingGlyphs,
    images: imageCheck,
  };
}
