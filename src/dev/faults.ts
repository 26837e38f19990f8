// The preflight as the dev overlay draws it: one fault per failed item, with
// whatever says where it sits. Items may be plain strings (today's kinsoku and
// orphan lines carry the line's text) or objects that name a place outright
// (rect, block id, line, character); new checks are picked up as they come.
import type { Preflight } from '../print/index.js';

/** A box in CSS px: relative to page `page`'s `.page` box when `page` is given, else to the document. */
export interface FaultRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Fault {
  /** The preflight check: overflow, kinsoku, orphanLines, missingGlyphs, … */
  check: string;
  message: string;
  /** 1-based printed page. */
  page?: number;
  rect?: FaultRect;
  /** id of the body block (b-N, section-N) that holds the fault. */
  blockId?: string;
  /** 0-based index among the body's blocks, as the line reader counts them. */
  block?: number;
  /** 0-based line within its block. */
  line?: number;
  /** The printed line's text, to find the line in the page. */
  text?: string;
  /** A character to find wherever it is printed (a glyph no font draws). */
  char?: string;
}

/** Keys a preflight result has that are not checks. */
const NOT_CHECKS = new Set(['ok', 'pages', 'fill', 'bodySize', 'copyfitIterations', 'lines']);

interface CheckLike {
  ok: boolean;
  items: unknown[];
}

function isCheck(value: unknown): value is CheckLike {
  return typeof value === 'object' && value !== null && 'ok' in value && 'items' in value && Array.isArray((value as CheckLike).items);
}

/** Failed checks of a preflight, in the order the preflight lists them. */
export function failedChecks(preflight: Preflight | undefined): Array<{ name: string; count: number }> {
  if (!preflight) return [];
  return Object.entries(preflight)
    .filter((entry): entry is [string, CheckLike] => !NOT_CHECKS.has(entry[0]) && isCheck(entry[1]) && !entry[1].ok)
    .map(([name, check]) => ({ name, count: check.items.length }));
}

export function faultsOf(preflight: Preflight | undefined): Fault[] {
  if (!preflight) return [];
  const faults: Fault[] = [];
  for (const [check, value] of Object.entries(preflight)) {
    if (NOT_CHECKS.has(check) || !isCheck(value) || value.ok) continue;
    for (const item of value.items) faults.push(typeof item === 'string' ? fromString(check, item) : fromObject(check, item));
  }
  return faults;
}

/** Today's string items: the text after the label is the printed line (kinsoku, orphans) or the character (glyphs). */
function fromString(check: string, message: string): Fault {
  const fault: Fault = { check, message };
  const kinsoku = /^line (?:starts|ends) with “[^”]+”: (.*)$/su.exec(message);
  const orphan = /^paragraph (\d+) ends on a line of its own: (.*)$/su.exec(message);
  const glyph = /^(\S+) U\+[0-9A-F]{4,6}$/u.exec(message);
  const page = /\bon page (\d+)\b/.exec(message);
  if (kinsoku?.[1]) fault.text = kinsoku[1];
  if (orphan?.[1] && orphan[2]) {
    fault.block = Number(orphan[1]) - 1;
    fault.text = orphan[2];
  }
  if (glyph?.[1]) fault.char = glyph[1];
  if (page?.[1]) fault.page = Number(page[1]);
  return fault;
}

function fromObject(check: string, item: unknown): Fault {
  const record = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
  const string = (key: string) => (typeof record[key] === 'string' ? (record[key] as string) : undefined);
  const number = (key: string) => (typeof record[key] === 'number' && Number.isFinite(record[key]) ? (record[key] as number) : undefined);
  const message = string('message') ?? string('reason') ?? string('text') ?? JSON.stringify(item);
  const fault: Fault = { ...fromString(check, message), check, message };
  const rect = record.rect as Record<string, unknown> | undefined;
  if (rect && ['x', 'y', 'width', 'height'].every((key) => typeof rect[key] === 'number')) {
    fault.rect = { x: rect.x as number, y: rect.y as number, width: rect.width as number, height: rect.height as number };
  }
  const text = string('text') ?? string('lineText');
  if (text !== undefined) fault.text = text;
  const char = string('char');
  if (char !== undefined) fault.char = char;
  const blockId = string('blockId');
  if (blockId !== undefined) fault.blockId = blockId;
  const page = number('page');
  if (page !== undefined) fault.page = page;
  const block = number('block');
  if (block !== undefined) fault.block = block;
  const line = number('line');
  if (line !== undefined) fault.line = line;
  return fault;
}
