// Chinese line-breaking rules (clreq, TYPESETTING.md) as pure functions over
// printed lines, so they can be checked without a browser.

/** May not start a line: closing brackets and quotes, stops, pauses, connectors. */
export const NO_LINE_START = new Set([...'，。、；：？！）］｝〕〉》」』】〗〙〛”’…—～·‥・ー々〻ゝゞヽヾ,.;:?!)]}%', ...'ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ']);

/** May not end a line: opening brackets and quotes. */
export const NO_LINE_END = new Set([...'（［｛〔〈《「『【〖〘〚“‘([{']);

/** Punctuation does not count as a character of a 孤字 line. */
const PUNCTUATION = /[\p{P}\p{S}\s]/u;

/** What the rules need to know of a printed line (see PrintedLine in page-script.ts). */
export interface LineText {
  /** 0-based line number within its block. */
  line: number;
  text: string;
  /** The block's last line. */
  last: boolean;
  /** A space stands before the line's first character (a Latin token such as `:foo` starts there). */
  afterSpace?: boolean;
}

export interface Violation<L extends LineText = LineText> {
  rule: 'line-start' | 'line-end';
  line: L;
  char: string;
}

export function kinsokuViolations<L extends LineText>(lines: L[]): Array<Violation<L>> {
  const violations: Array<Violation<L>> = [];
  for (const line of lines) {
    const text = line.text.trim();
    const first = [...text][0];
    const last = [...text].at(-1);
    // A block's first line may start with anything: nothing precedes it to move there.
    // ASCII punctuation after a space opens a token of its own (`:foo`, `!`), not the end of the last word.
    const startsToken = line.afterSpace === true && first !== undefined && first.charCodeAt(0) < 0x80;
    if (first && line.line > 0 && NO_LINE_START.has(first) && !startsToken) violations.push({ rule: 'line-start', line, char: first });
    if (last && !line.last && NO_LINE_END.has(last)) violations.push({ rule: 'line-end', line, char: last });
  }
  return violations;
}

/** A paragraph's last line holding fewer than two non-punctuation characters ("字。" is one). */
export function isOrphanLine(line: LineText): boolean {
  if (!line.last || line.line === 0) return false;
  const letters = [...line.text].filter((char) => !PUNCTUATION.test(char));
  return letters.length < 2;
}
