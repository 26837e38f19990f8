// Preflight: the faults a print desk looks for before a page goes to press,
// each as { ok, count, items }. Computed from measurements of the laid-out
// page and from the fonts' cmaps; pure, so every check can be tested alone.
import { undrawable, type LoadedFont } from '../layout/fonts.js';
import { FILL_TARGET, type FitResult } from './copyfit.js';
import { imageFaults, type PrintedImage } from './images.js';
import { isOrphanLine, kinsokuViolations } from './kinsoku.js';
import type { PrintedLine, Rect } from './page-script.js';

/** One fault, placed where it is: page, block and box on the page when known. */
export interface Fault {
  message: string;
  page?: number;
  /** The body block (b-N, section-N) it is in. */
  blockId?: string;
  /** The character at fault (a glyph no font draws). */
  char?: string;
  /** The printed line's text. */
  text?: string;
  /** Its box in CSS px from the page's top left corner (for the dev overlay). */
  rect?: Rect;
}

/** The checks, in the order a desk reads them: what would be cut, the rules of the line, the glyphs, then the page. */
export const CHECK_NAMES = ['overflow', 'kinsoku', 'orphanLines', 'missingGlyphs', 'underfill', 'columnBalance', 'systemFonts', 'images'] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

export interface Check {
  ok: boolean;
  count: number;
  items: Fault[];
}

export interface PagePreflight {
  page: number;
  /** The 版次 printed on it. */
  label: string;
  fill: number;
  columnBalance: number;
  lines: number;
}

export interface Preflight {
  ok: boolean;
  pages: number;
  /** The least-filled page's share of its body box height (last line to the bottom of the type area). */
  fill: number;
  bodySize: number;
  leading: number;
  copyfitIterations: number;
  lines: number;
  perPage: PagePreflight[];
  overflow: Check;
  kinsoku: Check;
  orphanLines: Check;
  missingGlyphs: Check;
  /** Pages whose body ends more than 3 % above the bottom of the type area. */
  underfill: Check;
  /** Pages whose columns end more than one line apart. */
  columnBalance: Check;
  /** Characters drawn by a font that is not one of ours (a system fallback). */
  systemFonts: Check;
  /** Images that did not load or print under 200 ppi. */
  images: Check;
}

export interface PreflightInput {
  fit: FitResult;
  lines: PrintedLine[];
  /** Every character the page prints. */
  text: string;
  fonts: LoadedFont[];
  /** Fonts the browser says it used that are not the template's web fonts. */
  platformFonts?: Fault[];
  /** The page's images as printed; none when absent. */
  images?: PrintedImage[];
}

export function check(items: Array<Fault | string>): Check {
  const faults = items.map((item) => (typeof item === 'string' ? { message: item } : item));
  return { ok: faults.length === 0, count: faults.length, items: faults };
}

export function codePointLabel(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

const lineFault = (line: PrintedLine, message: string): Fault => ({ message, page: line.page, blockId: line.blockId, text: line.text, rect: line.rect });

export function preflight({ fit, lines, text, fonts, platformFonts = [], images = [] }: PreflightInput): Preflight {
  // Code is set line for line as written: the rules of prose do not apply to it.
  const prose = lines.filter((line) => !line.code);
  const last = fit.pages.length;
  const overflow = check(
    fit.pages.filter((page) => page.overflows).map((page) => ({ message: `text runs outside the body on page ${page.page}: it would be cut`, page: page.page, rect: page.bodyRect })),
  );
  const kinsoku = check(
    kinsokuViolations(prose).map(({ rule, line, char }) =>
      lineFault(line, `${rule === 'line-start' ? 'line starts with' : 'line ends with'} “${char}”: ${line.text}`),
    ),
  );
  const orphanLines = check(prose.filter(isOrphanLine).map((line) => lineFault(line, `paragraph ${line.block + 1} ends on a line of its own: ${line.text}`)));
  const missingGlyphs = check(undrawable(fonts, text).map((char) => ({ message: `${char} ${codePointLabel(char)}: no bundled font draws it`, char })));
  const underfill = check(
    fit.pages
      .filter((page) => page.fill < FILL_TARGET)
      .map((page) => ({
        message: `page ${page.page} is ${Math.round(page.fill * 100)} % full: its last line ends ${Math.round((1 - page.fill) * page.bodyRect.height * 0.2646)} mm above the type area's foot${page.page === last ? ' — add text, a photo, or choose a smaller preset' : ''}`,
        page: page.page,
        rect: page.bodyRect,
      })),
  );
  const columnBalance = check(
    fit.pages
      .filter((page) => page.columnBalance > 1)
      .map((page) => ({ message: `the columns on page ${page.page} end ${page.columnBalance} lines apart`, page: page.page, rect: page.bodyRect })),
  );
  const systemFonts = check(platformFonts);
  const imageCheck = check(imageFaults(images));
  const checks: Record<CheckName, Check> = { overflow, kinsoku, orphanLines, missingGlyphs, underfill, columnBalance, systemFonts, images: imageCheck };
  return {
    ok: CHECK_NAMES.every((name) => checks[name].ok),
    pages: last,
    fill: Math.round(fit.fill * 1000) / 1000,
    bodySize: fit.bodySize,
    leading: fit.leading,
    copyfitIterations: fit.iterations,
    lines: lines.length,
    perPage: fit.pages.map((page) => ({
      page: page.page,
      label: page.label,
      fill: Math.round(page.fill * 1000) / 1000,
      columnBalance: page.columnBalance,
      lines: lines.filter((line) => line.page === page.page).length,
    })),
    overflow,
    kinsoku,
    orphanLines,
    missingGlyphs,
    underfill,
    columnBalance,
    systemFonts,
    images: imageCheck,
  };
}
