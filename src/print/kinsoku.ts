// Chinese line-breaking rules (clreq, TYPESETTING.md) as pure functions over
// printed lines, so they can be checked without a browser.

/** May not start a line: closing brackets and quotes, stops, pauses, connectors. */
export const NO_LINE_START = new Set([...'，。、；：？！）］｝〕〉》」』】〗〙〛”’…—～·‥・ー々〻ゝゞヽヾ,.;:?!)]}%', ...'ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ']);

/** May not end a line: opening brackets and quotes. */
export const NO_LINE_END = new Set([...'（［｛〔〈《「『【〖〘〚“‘([{']);

/** Punctuation does not count as a character of a 孤字 line. */
const PUNCTUATION = /[\p{P}\p{S}\s]/u;

export interface PrintedLine {
  /** Index of the block (paragraph, heading) in the body. */
  block: number;
  /** 0-based line number within its block. */
  line: number;
  text: string;
  /** The block's last line. */
  last: boolean;
}

export interface Violation {
  rule: 'line-start' | 'line-end';
  line: PrintedLine;
  char: string;
}

export function kinsokuViolations(lines: PrintedLine[]): Violation[] {
  const violations: Violation[] = [];
  for (const line of lines) {
    const text = line.text.trim();
    const first = [...text][0];
    const last = [...text].at(-1);
    // A block's first line may start with anything: nothing precedes it to move there.
    if (first && line.line > 0 && NO_LINE_START.has(first)) violations.push({ rule: 'line-start', line, char: first });
    if (last && !line.last && NO_LINE_END.has(last)) violations.push({ rule: 'line-end', line, char: last });
  }
  return violations;
}

/** A paragraph's last line holding fewer than two non-punctuation characters ("字。" is one). */
export function isOrphanLine(line: PrintedLine): boolean {
  if (!line.last || line.line === 0) return false;
  const letters = [...line.text].filter((char) => !PUNCTUATION.test(char));
  return letters.length < 2;
}
