// Where the printed pages break, marked in the EPUB text: an empty
// `<span epub:type="pagebreak" role="doc-pagebreak" title="N">` at the first character
// of each page, so "p. 2" in a citation resolves in the PDF and the EPUB
// alike. The markers carry no text: the article's characters are unchanged.
import type { Element, ElementContent, Parents, Text } from 'hast';
import type { PageStart } from '../print/index.js';

/** A page-break marker for printed page `page`, titled with its 版次 label (default: its number). */
export function pageBreak(page: number, label = String(page)): Element {
  return {
    type: 'element',
    tagName: 'span',
    // Named by title, not aria-label: axe-core counts doc-* roles as no role and would flag aria-label on a span.
    properties: { 'epub:type': 'pagebreak', role: 'doc-pagebreak', id: pageId(page), title: label },
    children: [],
  };
}

export const pageId = (page: number): string => `page-${page}`;

/**
 * Puts the first page's marker first in `article` (page 1, or the edition
 * page an article opens; none for an article that is not the first on its
 * page) and one marker where each later page starts. Throws when a page start names no block of the article or an
 * offset outside its text: a page-list that points at the wrong place is
 * worse than none.
 */
export function markPageBreaks(article: Element, starts: PageStart[], first: { page: number; label: string } | null = { page: 1, label: '1' }): void {
  if (first) article.children.unshift(pageBreak(first.page, first.label));
  let previous = first?.page ?? 1;
  for (const start of starts) {
    if (!Number.isInteger(start.page) || start.page !== previous + 1) {
      throw new Error(`page starts must run 2, 3, … in order; got page ${start.page} after page ${previous}`);
    }
    previous = start.page;
    const found = findById(article, start.blockId);
    if (!found) throw new Error(`page ${start.page} starts in block ${start.blockId}, which is not in the article`);
    insertAt(found.node, found.parent, start);
  }
}

function findById(node: Parents, id: string): { node: Element; parent: Parents } | undefined {
  for (const child of node.children) {
    if (child.type !== 'element') continue;
    if (child.properties.id === id) return { node: child, parent: node };
    const found = findById(child, id);
    if (found) return found;
  }
  return undefined;
}

/** Text nodes under `node` in document order, with their parents: the DOM's textContent order. */
function textNodes(node: Parents, out: Array<{ text: Text; parent: Parents }> = []): Array<{ text: Text; parent: Parents }> {
  for (const child of node.children) {
    if (child.type === 'text') out.push({ text: child, parent: node });
    else if (child.type === 'element') textNodes(child, out);
  }
  return out;
}

/** Containers whose only text is inter-element white space: a marker there would be invalid markup. */
const NO_PHRASING = new Set(['table', 'thead', 'tbody', 'tfoot', 'tr', 'colgroup', 'ul', 'ol', 'dl', 'select', 'optgroup']);

function insertAt(block: Element, parent: Parents, start: PageStart): void {
  const marker = pageBreak(start.page);
  if (start.offset === 0) {
    // A page that starts with a block: the marker stands before it, not inside it.
    parent.children.splice(parent.children.indexOf(block), 0, marker as ElementContent);
    return;
  }
  const texts = textNodes(block);
  const total = texts.reduce((sum, { text }) => sum + text.value.length, 0);
  if (!Number.isInteger(start.offset) || start.offset < 0 || start.offset >= total) {
    throw new Error(`page ${start.page} starts at offset ${start.offset} of block ${start.blockId}, whose text is ${total} code units long`);
  }
  let before = 0;
  for (const [index, { text, parent: holder }] of texts.entries()) {
    const end = before + text.value.length;
    if (start.offset < end) {
      const at = start.offset - before;
      const value = text.value;
      if (at > 0 && isLowSurrogate(value.charCodeAt(at)) && isHighSurrogate(value.charCodeAt(at - 1))) {
        throw new Error(`page ${start.page} starts inside a surrogate pair of block ${start.blockId} (offset ${start.offset})`);
      }
      if (holder.type === 'element' && NO_PHRASING.has(holder.tagName)) {
        // White space between rows or items: the page really starts at the next text that can hold a marker.
        const next = texts.slice(index + 1).find(({ parent: p }) => !(p.type === 'element' && NO_PHRASING.has(p.tagName)));
        if (!next) {
          parent.children.splice(parent.children.indexOf(block) + 1, 0, marker as ElementContent);
          return;
        }
        next.parent.children.splice(next.parent.children.indexOf(next.text), 0, marker as ElementContent);
        return;
      }
      const position = holder.children.indexOf(text);
      const pieces: ElementContent[] = [];
      if (at > 0) pieces.push({ type: 'text', value: value.slice(0, at) });
      pieces.push(marker);
      pieces.push({ type: 'text', value: value.slice(at) });
      holder.children.splice(position, 1, ...(pieces as typeof holder.children));
      return;
    }
    before = end;
  }
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
