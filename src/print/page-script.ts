// The part of the print stage that runs inside the laid-out page: it sets the
// body type, flows the article over as many pages as it needs (splitting a
// paragraph where a column ends, adding 下转 / 上接 jump lines), and measures
// every page: fill, column balance, the printed lines.
//
// `installPageScript` is serialized by Puppeteer and evaluated in the page,
// so everything it uses is declared inside it.
import type { FolioNumbering } from '../layout/folio.js';

export type { FolioNumbering };

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PrintedLine {
  /** Index of the block (paragraph, heading) in the body, counted over all pages. */
  block: number;
  /** The block's id (b-N, section-N, …): the same name as in the EPUB. */
  blockId: string;
  /** 0-based line number within its block, counted across a page break. */
  line: number;
  text: string;
  /** The block's last line. */
  last: boolean;
  /** A line of a code block: set as written, not by the rules of prose. */
  code: boolean;
  /** A space stands before the line's first character: the line starts a new word. */
  afterSpace: boolean;
  /** 1-based page the line is printed on. */
  page: number;
  /** 0-based column on its page. */
  column: number;
  /** The line's box in CSS px, relative to its page's top left corner. */
  rect: Rect;
}

export interface LayoutSettings {
  bodySize: number;
  leading: number;
  folio: FolioNumbering;
  /** Give up flowing after this many pages (the rest is reported as overflow). */
  maxPages: number;
  /** Which copyfit trial this layout is: passed back with the pages laid out so far. */
  trial?: number;
  /**
   * Nothing else can level the columns of the last page (the size and leading are fixed): when the
   * text runs on to a 转版 module, it may take fewer of the grid's columns, as many as end level.
   */
  narrowLastPage?: boolean;
}

export interface PageMeasure {
  page: number;
  /** The 版次 printed in the page's 报眉. */
  label: string;
  /** Share of the type area's height down to the last line of its tallest column. */
  fill: number;
  /** Lines between the longest and the shortest column. */
  columnBalance: number;
  /** Content left outside the body box on this page. */
  overflows: boolean;
  /** The body box, relative to the page. */
  bodyRect: Rect;
}

export interface PageStart {
  page: number;
  blockId: string;
  offset: number;
}

export interface LayoutMeasure {
  pages: PageMeasure[];
  pageStarts: PageStart[];
}

/** The function the print stage exposes to the page: called with the trial and the number of pages laid out so far. */
export const PAGE_PROGRESS = 'pressworkLaidOut' satisfies keyof Window;

declare global {
  interface Window {
    presswork: {
      layout(settings: LayoutSettings): LayoutMeasure;
      lines(): PrintedLine[];
    };
    pressworkLaidOut?: (trial: number, pages: number) => Promise<void>;
  }
}

export function installPageScript(): void {
  const firstPage = document.querySelector<HTMLElement>('.page');
  const firstBody = firstPage?.querySelector<HTMLElement>('.article-body');
  if (!firstPage || !firstBody) throw new Error('the page has no .article-body');
  const original = firstBody.cloneNode(true) as HTMLElement;
  const root = document.documentElement;
  const SPLITTABLE = new Set(['P', 'LI', 'UL', 'OL', 'BLOCKQUOTE', 'DD', 'DL', 'PRE']);
  const LINE_BLOCKS = '.article-body :is(p, h2, h3, h4, li, blockquote > p, pre, td, th, figcaption)';

  const blockKey = (element: Element): string => element.getAttribute('data-block') ?? element.id;

  function folioLabel(folio: FolioNumbering, page: number): { label: string; jump: string } {
    if (folio.start === undefined) return { label: `${page}`, jump: `第${page}版` };
    const number = `${folio.start + page - 1}`.padStart(folio.width, '0');
    const label = `${folio.prefix}${number}`;
    return { label, jump: folio.prefix ? `${label}版` : `第${label}版` };
  }

  function outside(rect: DOMRect, box: DOMRect): boolean {
    return rect.left >= box.right - 1 || rect.bottom > box.bottom + 1;
  }

  function overflows(body: HTMLElement): boolean {
    return body.scrollWidth > body.clientWidth + 1 || body.scrollHeight > body.clientHeight + 1;
  }

  function jumpLine(kind: 'to' | 'from', text: string): HTMLElement {
    const line = document.createElement('p');
    line.className = `jump-line jump-${kind}`;
    line.textContent = kind === 'to' ? `（下转${text}）` : `（上接${text}）`;
    return line;
  }

  /** UTF-16 units of the character at `offset`: 2 for a surrogate pair (a character beyond the BMP), else 1. */
  function charLength(text: string, offset: number): number {
    return (text.codePointAt(offset) ?? 0) > 0xffff ? 2 : 1;
  }

  type Position = { node: Text; offset: number; length: number };

  /** Every printable character position of an element, in reading order. */
  function positions(element: Element): Position[] {
    const found: Position[] = [];
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
      for (let offset = 0, length = 0; offset < node.data.length; offset += length) {
        length = charLength(node.data, offset);
        if (!/\s/.test(node.data[offset] ?? '')) found.push({ node, offset, length });
      }
    }
    return found;
  }

  function charRect(position: Position, range: Range): DOMRect | undefined {
    range.setStart(position.node, position.offset);
    range.setEnd(position.node, position.offset + position.length);
    return range.getClientRects()[0];
  }

  /**
   * Cuts the body where its box ends. Returns the nodes that go to the next
   * page, in order; the body keeps what fits. `stuck` when the first block
   * cannot move and cannot be split (a figure taller than the page).
   */
  function cutOverflow(body: HTMLElement): { tail: Node[]; stuck: boolean } {
    const box = body.getBoundingClientRect();
    const children = [...body.children].filter((child) => !child.classList.contains('jump-from'));
    const index = children.findIndex((child) => {
      const rect = child.getBoundingClientRect();
      return rect.right > box.right + 1 || rect.bottom > box.bottom + 1;
    });
    if (index < 0) return { tail: [], stuck: false };
    const child = children[index] as HTMLElement;
    const following = (from: Element): Node[] => {
      const nodes: Node[] = [];
      for (let node = from.nextSibling; node; node = node.nextSibling) nodes.push(node);
      return nodes;
    };
    if (SPLITTABLE.has(child.tagName)) {
      const range = document.createRange();
      const chars = positions(child);
      // The characters run in reading order, column after column: binary search the first one outside.
      let low = 0;
      let high = chars.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        const rect = charRect(chars[mid]!, range);
        if (rect && outside(rect, box)) high = mid;
        else low = mid + 1;
      }
      if (low > 0 && low < chars.length) {
        const at = chars[low]!;
        range.setStart(at.node, at.offset);
        range.setEnd(child, child.childNodes.length);
        const rest = child.cloneNode(false) as HTMLElement;
        rest.removeAttribute('id');
        rest.setAttribute('data-block', blockKey(child));
        rest.classList.add('continued');
        const after = following(child);
        rest.append(range.extractContents());
        child.classList.add('continues');
        return { tail: [rest, ...after], stuck: false };
      }
    }
    // The whole block moves; a section head goes with the block it heads.
    let first: Element = child;
    const previous = children[index - 1];
    if (previous?.classList.contains('section-head') && index - 1 > 0) first = previous;
    if (children.indexOf(first) === 0) {
      // Nothing before it on this page: moving it would loop forever. It stays, clipped.
      return { tail: following(child), stuck: true };
    }
    return { tail: [first, ...following(first)], stuck: false };
  }

  function newPage(number: number, folio: string): { page: HTMLElement; body: HTMLElement } {
    const page = firstPage!.cloneNode(false) as HTMLElement;
    page.setAttribute('data-page', `${number}`);
    page.classList.remove('front-page');
    page.classList.add('continuation-page');
    // The 报眉 and the page foot as on page 1, with this page's 版次.
    const withFolio = (selector: string): void => {
      const original = firstPage!.querySelector(selector);
      if (!original) return;
      const copy = original.cloneNode(true) as HTMLElement;
      const pageNo = copy.querySelector('.page-no');
      if (pageNo) pageNo.textContent = folio;
      page.append(copy);
    };
    withFolio('.running-head');
    const typeArea = document.createElement('div');
    typeArea.className = 'type-area';
    const article = document.createElement('article');
    article.className = 'article continuation';
    article.lang = firstBody!.closest('article')?.lang ?? document.documentElement.lang;
    const body = document.createElement('div');
    body.className = 'article-body';
    article.append(body);
    typeArea.append(article);
    page.append(typeArea);
    withFolio('.page-foot');
    document.body.append(page);
    return { page, body };
  }

  /** The body's columns, and which of them a box on the page stands in. */
  function columnGrid(body: HTMLElement, box: DOMRect): { columns: number; columnOf: (rect: DOMRect) => number } {
    const style = getComputedStyle(body);
    const columns = Number(style.columnCount) || 1;
    const gap = parseFloat(style.columnGap) || 0;
    const columnWidth = (box.width - gap * (columns - 1)) / columns;
    return {
      columns,
      columnOf: (rect) => Math.min(columns - 1, Math.max(0, Math.floor((rect.left - box.left + gap / 2) / (columnWidth + gap)))),
    };
  }

  function measurePage(page: HTMLElement, settings: LayoutSettings): Omit<PageMeasure, 'label'> {
    const body = page.querySelector<HTMLElement>('.article-body')!;
    const pageBox = page.getBoundingClientRect();
    const box = body.getBoundingClientRect();
    const { columns, columnOf } = columnGrid(body, box);
    const bottoms = new Array<number>(columns).fill(box.top);
    const lineHeight = (settings.bodySize * settings.leading * 96) / 72;
    const range = document.createRange();
    const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      range.selectNodeContents(node);
      for (const rect of range.getClientRects()) {
        if (rect.width === 0) continue;
        const column = columnOf(rect);
        // A glyph's box is shorter than its line: count the half-leading under it, as the line box does.
        bottoms[column] = Math.max(bottoms[column] ?? box.top, rect.bottom + Math.max(0, (lineHeight - rect.height) / 2));
      }
    }
    // The 下转 line under the columns is the page's last line of text.
    const jump = page.querySelector('.jump-to')?.getBoundingClientRect();
    const tallest = Math.max(...bottoms, jump ? jump.bottom - (jump.height - lineHeight) / 2 : box.top);
    // Fill is judged against the type area (headline block included), or against the
    // module when the article takes only the depth it needs.
    const area = page.classList.contains('depth-fit') ? box : (page.querySelector('.type-area')?.getBoundingClientRect() ?? box);
    return {
      page: Number(page.getAttribute('data-page')),
      fill: area.height > 0 ? Math.min(1, (tallest - area.top) / area.height) : 0,
      columnBalance: Math.round((Math.max(...bottoms) - Math.min(...bottoms)) / lineHeight),
      overflows: overflows(body),
      bodyRect: { x: box.left - pageBox.left, y: box.top - pageBox.top, width: box.width, height: box.height },
    };
  }

  /**
   * Makes a 转版 module only as many grid columns wide as lets its columns end within a line of each other.
   * Columns share one depth, so the last column takes what is left: L lines in n columns end level only
   * when L is a line short of a multiple of n, or one. Fewer, deeper columns often are (two always are,
   * short of a keep rule) as long as they still end above the foot. The page's other stories take the
   * columns it leaves. When no width does, the module keeps the full width and the preflight reports it.
   */
  function narrowToLevel(page: HTMLElement, settings: LayoutSettings): void {
    if (measurePage(page, settings).columnBalance <= 1) return;
    const article = page.querySelector<HTMLElement>('.article')!;
    const body = page.querySelector<HTMLElement>('.article-body')!;
    // Deeper columns must still end above the type area's foot.
    const foot = (page.querySelector('.type-area') ?? page).getBoundingClientRect().bottom;
    const style = getComputedStyle(article);
    const grid = Number(style.getPropertyValue('--grid-columns'));
    const span = Number(style.getPropertyValue('--columns'));
    for (let columns = span - 1; columns >= 2; columns--) {
      article.style.setProperty('--columns', String(columns));
      article.style.setProperty('--article-width', `calc((100% + var(--gutter)) * ${columns} / ${grid} - var(--gutter))`);
      if (!overflows(body) && article.getBoundingClientRect().bottom <= foot + 0.5 && measurePage(page, settings).columnBalance <= 1) return;
    }
    article.style.removeProperty('--columns');
    article.style.removeProperty('--article-width');
  }

  function layout(settings: LayoutSettings): LayoutMeasure {
    for (const page of document.querySelectorAll('.page')) if (page !== firstPage) page.remove();
    for (const line of firstPage!.querySelectorAll('.jump-line')) line.remove();
    firstPage!.querySelector('.article-body')?.classList.remove('flowing');
    const body = firstPage!.querySelector<HTMLElement>('.article-body')!;
    body.replaceChildren(...[...original.cloneNode(true).childNodes]);
    root.style.setProperty('--body-size', `${settings.bodySize}pt`);
    root.style.setProperty('--leading', `${settings.leading}`);

    const labels: string[] = [folioLabel(settings.folio, 1).label];
    if (overflows(body)) {
      // Pages are filled one at a time from a holding fragment, so each layout only touches one page of text.
      const holding = document.createDocumentFragment();
      holding.append(...body.childNodes);
      let current = body;
      let number = 1;
      // Characters a page's body can hold, a little over, from its area: fill in one step, then cut.
      const capacity = (box: HTMLElement): number => {
        const rect = box.getBoundingClientRect();
        const em = (settings.bodySize * 96) / 72;
        return Math.ceil(((rect.width * rect.height) / (em * em * settings.leading)) * 1.15);
      };
      // Cuts until the page holds what it shows; false when a block can neither move nor split.
      const settle = (): boolean => {
        while (overflows(current)) {
          const { tail, stuck } = cutOverflow(current);
          holding.prepend(...tail);
          if (stuck || tail.length === 0) return false;
        }
        return true;
      };
      for (;;) {
        // A page the text runs on from fills its columns one after another, to the foot; only the last page balances.
        current.classList.add('flowing');
        const room = capacity(current);
        let added = 0;
        while (holding.firstChild && added < room) {
          added += (holding.firstChild.textContent ?? '').length;
          current.append(holding.firstChild);
        }
        settle();
        // Text a shorter page could hold was moved back too: top the page up block by block.
        while (holding.firstChild && !overflows(current)) current.append(holding.firstChild);
        settle();
        if (!holding.firstChild) {
          current.classList.remove('flowing');
          // 转版: on the page it jumps to, the rest of the article is a module as deep as it needs
          // (the page's other stories take the space below), not a page stretched to fill.
          if (number > 1) {
            const page = current.closest<HTMLElement>('.page')!;
            page.classList.add('depth-fit');
            if (settings.narrowLastPage) narrowToLevel(page, settings);
          }
          break;
        }
        if (number >= settings.maxPages) break;
        // 下转: the body gives up its last line to the jump line under the last column.
        const next = folioLabel(settings.folio, number + 1);
        current.after(jumpLine('to', next.jump));
        settle();
        number += 1;
        labels.push(next.label);
        // Not awaited: the call only posts the count to the print stage, it must not wait on it.
        void window.pressworkLaidOut?.(settings.trial ?? 0, number);
        const made = newPage(number, next.jump);
        made.body.append(jumpLine('from', folioLabel(settings.folio, number - 1).jump));
        current = made.body;
      }
      if (holding.firstChild) current.append(holding); // beyond maxPages: left visibly overflowing
    }

    const pages = [...document.querySelectorAll<HTMLElement>('.page')];
    const pageStarts: PageStart[] = [];
    for (const page of pages.slice(1)) {
      const first = page.querySelector('.article-body > :not(.jump-line)');
      if (!first) continue;
      const key = blockKey(first);
      let offset = 0;
      if (first.classList.contains('continued')) {
        for (const part of document.querySelectorAll(`[id="${key}"], [data-block="${key}"]`)) {
          if (part === first) break;
          offset += (part.textContent ?? '').length;
        }
      }
      pageStarts.push({ page: Number(page.getAttribute('data-page')), blockId: key, offset });
    }
    return {
      pages: pages.map((page, index) => ({ ...measurePage(page, settings), label: labels[index] ?? `${index + 1}` })),
      pageStarts,
    };
  }

  function lines(): PrintedLine[] {
    const found: PrintedLine[] = [];
    const range = document.createRange();
    let open: PrintedLine[] = [];
    let blocks = 0;
    const close = () => {
      const last = open.at(-1);
      if (last) last.last = true;
      open = [];
    };
    for (const page of document.querySelectorAll<HTMLElement>('.page')) {
      const pageNumber = Number(page.getAttribute('data-page'));
      const pageBox = page.getBoundingClientRect();
      const body = page.querySelector<HTMLElement>('.article-body');
      if (!body) continue;
      const box = body.getBoundingClientRect();
      const { columnOf } = columnGrid(body, box);
      let firstOnPage = true;
      for (const block of body.querySelectorAll<HTMLElement>(LINE_BLOCKS)) {
        if (block.closest('.jump-line')) continue;
        // A block holding blocks (a list item with paragraphs) is read through its children.
        if (block.querySelector(':scope > :is(p, ul, ol, blockquote)')) continue;
        const top = block.closest<HTMLElement>('.article-body > *');
        // The first block of a page whose top-level block was split continues the last block read.
        const continues = firstOnPage && Boolean(top?.classList.contains('continued'));
        firstOnPage = false;
        if (!continues) {
          close();
          blocks += 1;
        }
        const blockId = top ? blockKey(top) : '';
        const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
        let sawSpace = false;
        for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
          const value = node.data;
          for (let offset = 0; offset < value.length; ) {
            const width = charLength(value, offset);
            range.setStart(node, offset);
            range.setEnd(node, offset + width);
            const rect = range.getClientRects()[0];
            const char = value.slice(offset, offset + width);
            offset += width;
            if (/\s/.test(char)) sawSpace = true;
            if (!rect || (rect.width === 0 && /\s/.test(char))) continue;
            const spaceBefore = sawSpace;
            if (!/\s/.test(char)) sawSpace = false;
            const current = open.at(-1);
            // A new line starts wherever the baseline moves: down the column, into the next one, onto the next page.
            if (current && current.page === pageNumber && Math.abs(rect.top - pageBox.top - current.rect.y) <= rect.height / 2) {
              current.text += char;
              current.rect.width = Math.max(current.rect.x + current.rect.width, rect.right - pageBox.left) - current.rect.x;
              current.rect.height = Math.max(current.rect.height, rect.bottom - pageBox.top - current.rect.y);
            } else {
              const line: PrintedLine = {
                block: blocks - 1,
                blockId,
                line: open.length,
                text: char,
                last: false,
                code: block.tagName === 'PRE',
                afterSpace: spaceBefore,
                page: pageNumber,
                column: columnOf(rect),
                rect: { x: rect.left - pageBox.left, y: rect.top - pageBox.top, width: rect.width, height: rect.height },
              };
              open.push(line);
              found.push(line);
            }
          }
        }
      }
    }
    close();
    return found;
  }

  window.presswork = { layout, lines };
}
