// The EPUB's page-list and page-break markers, from the print's page starts:
// synthetic starts (the print makes one page today) at block starts and in
// the middle of paragraphs, inline markup and tables.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Element, ElementContent, Root } from 'hast';
import { afterAll, describe, expect, it } from 'vitest';
import { buildEpub } from '../src/epub/index.js';
import type { PageStart } from '../src/print/index.js';
import { epubcheckMissing } from './support/epubcheck.js';
import { elements, entry, epubcheckBytes, inputFrom, parseXhtml, unpack } from './support/epub-book.js';

const scratch = mkdtempSync(join(tmpdir(), 'presswork-epub-pages-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const skipEpubcheck = (await epubcheckMissing()) !== undefined;

const markdown = [
  readFileSync(join(import.meta.dirname, 'fixtures', 'epub', 'seed-like.md'), 'utf8').trimEnd(),
  '',
  '## 附表',
  '',
  '这一段有**加粗的话**和[一个链接](https://example.org/)，页可以从链接里开始。',
  '',
  '| 单位 | 人数 |',
  '| :-- | --: |',
  '| 京城机电 | 120 |',
  '| 北京奔驰 | 98 |',
  '',
].join('\n');

/** The DOM's textContent: every text node, in order (what PageStart.offset counts in). */
function toString(node: Root | ElementContent): string {
  if (node.type === 'text') return node.value;
  return 'children' in node ? node.children.map((child) => toString(child as ElementContent)).join('') : '';
}

/** The text of `block` before its page-break marker for `page`, or undefined when the marker is not inside it. */
function textBefore(block: Element, page: number): string | undefined {
  let text = '';
  const walk = (node: ElementContent): boolean => {
    if (node.type === 'text') text += node.value;
    if (node.type !== 'element') return false;
    if (node.properties.id === `page-${page}`) return true;
    return node.children.some(walk);
  };
  return block.children.some(walk) ? text : undefined;
}

function byId(tree: Root, id: string): Element {
  const [found] = elements(tree, (node) => node.properties.id === id);
  if (!found) throw new Error(`no element #${id}`);
  return found;
}

describe('buildEpub: page breaks where the print breaks', async () => {
  const base = await inputFrom(markdown);
  const blockText = (id: string) => toString(byId(base.tree, id));
  const linkBlock = elements(base.tree, (node) => node.tagName === 'p' && toString(node).startsWith('这一段有'))[0]?.properties.id as string;
  const tableBlock = elements(base.tree, (node) => node.tagName === 'table')[0]?.properties.id as string;
  const tableText = blockText(tableBlock);
  const starts: PageStart[] = [
    { page: 2, blockId: 'b-5', offset: 17 }, // mid-paragraph
    { page: 3, blockId: 'section-2', offset: 0 }, // a page that starts with a section head
    { page: 4, blockId: linkBlock, offset: blockText(linkBlock).indexOf('个链接') }, // inside the link
    { page: 5, blockId: tableBlock, offset: tableText.indexOf('北京奔驰') - 1 }, // the white space between two rows
  ];
  const result = await buildEpub({ ...base, print: { png: new Uint8Array(), pageStarts: starts } });
  const book = await unpack(result.bytes);
  const chapterMarkup = entry(book, 'OEBPS/article.xhtml');
  const chapter = parseXhtml(chapterMarkup);

  it.skipIf(skipEpubcheck)('passes EPUBCheck with 0 errors and 0 warnings', async () => {
    const report = await epubcheckBytes(result.bytes, scratch, 'pages');
    expect(report.problems).toEqual([]);
  });

  it('marks page 1 at the start of the article and each later page at its first character', () => {
    const markers = elements(chapter, (node) => node.properties.role === 'doc-pagebreak');
    expect(markers.map((node) => [node.properties.id, node.properties.title, node.properties['epub:type'], node.children.length])).toEqual(
      [1, 2, 3, 4, 5].map((page) => [`page-${page}`, String(page), 'pagebreak', 0]),
    );
    const [article] = elements(chapter, (node) => node.tagName === 'article');
    expect(article?.children.find((node) => node.type === 'element')).toBe(markers[0]);
    expect(textBefore(byId(chapter, 'b-5'), 2)).toBe(blockText('b-5').slice(0, 17));
    expect(textBefore(byId(chapter, linkBlock), 4)).toBe('这一段有加粗的话和一');
    // Page 3 starts with the section head: its marker stands just before the head.
    const heading = byId(chapter, 'section-2');
    const siblings = elements(chapter, (node) => node.children.includes(heading))[0]?.children.filter((node) => node.type === 'element') ?? [];
    expect(siblings[siblings.indexOf(heading) - 1]).toBe(markers[2]);
    // The table's row break holds no marker: it goes into the next row's first cell.
    const cell = elements(byId(chapter, tableBlock), (node) => node.tagName === 'td' && toString(node) === '北京奔驰')[0];
    expect(cell?.children[0]).toEqual(expect.objectContaining({ type: 'element', properties: expect.objectContaining({ id: 'page-5' }) }));
  });

  it('adds no character: the chapter text equals the text of a build without page starts', async () => {
    const plain = parseXhtml(entry(await unpack((await buildEpub(base)).bytes), 'OEBPS/article.xhtml'));
    expect(toString(chapter)).toBe(toString(plain));
    expect(toString(byId(chapter, 'b-5'))).toBe(blockText('b-5'));
  });

  it('lists every page in the nav page-list and the NCX pageList, each pointing at its marker', () => {
    const nav = parseXhtml(entry(book, 'OEBPS/nav.xhtml'));
    const [pageList] = elements(nav, (node) => node.tagName === 'nav' && node.properties['epub:type'] === 'page-list');
    const links = elements(pageList ?? nav, (node) => node.tagName === 'a').map((node) => [node.properties.href, toString(node)]);
    expect(links).toEqual([1, 2, 3, 4, 5].map((page) => [`article.xhtml#page-${page}`, String(page)]));
    for (const [href] of links) expect(chapterMarkup).toContain(`id="${String(href).split('#')[1]}"`);
    const ncx = entry(book, 'OEBPS/toc.ncx');
    expect(ncx).toContain('<meta name="dtb:totalPageCount" content="5"/>');
    expect([...ncx.matchAll(/<pageTarget [^>]*value="(\d)"[^>]*>.*?<content src="([^"]+)"\/>/g)].map((match) => [match[1], match[2]])).toEqual(
      [1, 2, 3, 4, 5].map((page) => [String(page), `article.xhtml#page-${page}`]),
    );
    expect(result.pages).toBe(5);
  });

  it('refuses page starts that name no block, fall outside the text, split a character or skip a page', async () => {
    const build = (pageStarts: PageStart[]) => buildEpub({ ...base, print: { png: new Uint8Array(), pageStarts } });
    await expect(build([{ page: 2, blockId: 'b-999', offset: 0 }])).rejects.toThrow('page 2 starts in block b-999, which is not in the article');
    await expect(build([{ page: 2, blockId: 'b-5', offset: blockText('b-5').length }])).rejects.toThrow(/offset \d+ of block b-5, whose text is \d+ code units long/);
    await expect(build([{ page: 3, blockId: 'b-5', offset: 1 }])).rejects.toThrow('page starts must run 2, 3, … in order; got page 3 after page 1');
    const astral = await inputFrom('---\nheadline: 字\n---\n\n甲𠀀乙\n');
    await expect(buildEpub({ ...astral, print: { png: new Uint8Array(), pageStarts: [{ page: 2, blockId: 'b-1', offset: 2 }] } })).rejects.toThrow(/inside a surrogate pair/);
  });
});
