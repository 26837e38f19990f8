// Reads the printed lines of the body from the laid-out page: each character's
// box, grouped by baseline within its column. Lines measured this way matched
// the printed PDF 233 of 233 (TYPESETTING.md).
import type { Page } from 'puppeteer';
import type { PrintedLine } from './kinsoku.js';

export async function readLines(page: Page): Promise<PrintedLine[]> {
  return page.evaluate(linesInPage);
}

/** Runs in the page. */
function linesInPage(): PrintedLine[] {
  const lines: PrintedLine[] = [];
  const blocks = document.querySelectorAll<HTMLElement>('.article-body :is(p, h2, h3, li, blockquote > p)');
  const range = document.createRange();
  blocks.forEach((block, blockIndex) => {
    const own: Array<{ text: string; top: number }> = [];
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
      const value = node.data;
      for (let offset = 0; offset < value.length; ) {
        const codePoint = value.codePointAt(offset) ?? 0;
        const width = codePoint > 0xffff ? 2 : 1;
        range.setStart(node, offset);
        range.setEnd(node, offset + width);
        const rect = range.getClientRects()[0];
        const char = value.slice(offset, offset + width);
        offset += width;
        if (!rect || (rect.width === 0 && /\s/.test(char))) continue;
        const current = own.at(-1);
        // A new line starts wherever the baseline moves: down the column, or up into the next column.
        if (!current || Math.abs(rect.top - current.top) > rect.height / 2) own.push({ text: char, top: rect.top });
        else current.text += char;
      }
    }
    own.forEach((line, index) => lines.push({ block: blockIndex, line: index, text: line.text, last: index === own.length - 1 }));
  });
  return lines;
}
