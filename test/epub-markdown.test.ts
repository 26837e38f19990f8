// EPUBCheck on EPUBs made from every kind of Markdown a reporter writes: every
// CommonMark construct, GFM tables, task lists, footnotes and raw HTML, and
// articles that lack photos, a deck or a byline.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Element, Root } from 'hast';
import * as fontkit from 'fontkit';
import { afterAll, describe, expect, it } from 'vitest';
import { buildEpub } from '../src/epub/index.js';
import { epubcheckMissing } from './support/epubcheck.js';
import { elements, entry, epubcheckBytes, inputFrom, parseXhtml, TINY_PNG, unpack } from './support/epub-book.js';
import { commonMarkArticle } from './support/markdown-fixtures.js';

const scratch = mkdtempSync(join(tmpdir(), 'presswork-epub-md-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const skipEpubcheck = (await epubcheckMissing()) !== undefined;

function text(node: Root | Element): string {
  return node.children.map((child) => (child.type === 'text' ? child.value : child.type === 'element' ? text(child) : '')).join('');
}

describe('an article with every CommonMark construct, GFM and raw HTML', async () => {
  const input = await inputFrom(commonMarkArticle, { print: { png: TINY_PNG, pageStarts: [] } });
  const { bytes } = await buildEpub(input);
  const book = await unpack(bytes);
  const markup = entry(book, 'OEBPS/article.xhtml');
  const chapter = parseXhtml(markup);

  it.skipIf(skipEpubcheck)('passes EPUBCheck with 0 errors and 0 warnings', async () => {
    const report = await epubcheckBytes(bytes, scratch, 'commonmark');
    expect(report.problems).toEqual([]);
    expect([report.nFatal, report.nError, report.nWarning]).toEqual([0, 0, 0]);
  });

  it('keeps the constructs as XHTML: lists, quotes, code, rules, tables, task boxes named by a label', () => {
    const tags = new Set(elements(chapter, () => true).map((node) => node.tagName));
    for (const tag of ['ol', 'ul', 'li', 'blockquote', 'pre', 'code', 'hr', 'table', 'th', 'td', 'em', 'strong', 'a', 'br', 'del', 'input', 'label', 'sup']) {
      expect(tags, tag).toContain(tag);
    }
    const boxes = elements(chapter, (node) => node.tagName === 'input');
    expect(boxes).toHaveLength(2);
    for (const box of boxes) expect(box.properties).toEqual(expect.objectContaining({ type: 'checkbox', disabled: true }));
    // The task list's boxes keep their state: the first is ticked, the second not.
    expect(boxes.map((box) => box.properties.checked)).toEqual([true, undefined]);
    expect(markup).toContain('<input type="checkbox" checked="CHECKED" disabled="DISABLED" />');
    expect(markup).toMatch(/<input type="checkbox" disabled="DISABLED" \/>/);
    expect(elements(chapter, (node) => node.tagName === 'label').map(text)).toEqual([' 已完成的事', ' 未完成的事']);
    expect(elements(chapter, (node) => node.tagName === 'ol').map((node) => node.properties.start)).toContain(3);
    // The footnote reference names the notes' heading, which the chapter has, in the article's language.
    expect(elements(chapter, (node) => node.properties.ariaDescribedBy !== undefined).map((node) => String(node.properties.ariaDescribedBy))).toEqual(['footnote-label']);
    expect(elements(chapter, (node) => node.properties.id === 'footnote-label').map(text)).toEqual(['注释']);
    expect(markup).toContain('aria-label="返回引用 1"');
    expect(markup).not.toMatch(/Footnotes|Back to reference/);
  });

  it('aligns the table’s columns with the stylesheet’s classes, not the obsolete align', () => {
    const cells = elements(chapter, (node) => node.tagName === 'th' || node.tagName === 'td');
    expect(cells.map((cell) => String(cell.properties.className ?? ''))).toEqual(Array.from({ length: 3 }, () => ['align-left', 'align-center', 'align-right']).flat());
    expect(cells.every((cell) => cell.properties.align === undefined && cell.properties.style === undefined)).toBe(true);
    const stylesheet = entry(book, 'OEBPS/style.css');
    for (const side of ['left', 'center', 'right']) expect(stylesheet).toContain(`.align-${side} { text-align: ${side}; }`);
  });

  it('adds no character and loses none of the text the tree carries', () => {
    const [source] = elements(input.tree, (node) => node.tagName === 'article');
    const [written] = elements(chapter, (node) => node.tagName === 'article');
    if (!source || !written) throw new Error('no article');
    expect(text(written)).toBe(text(source));
  });
});

describe('HTML that XHTML 5 no longer has', async () => {
  // What a looser sanitizer could let through: the chapter writes it in its XHTML 5 form, text unchanged.
  const fragment = parseXhtml(
    [
      '<table border="1" cellpadding="2" width="80%" summary="s"><tr><th align="center" valign="top" bgcolor="red" nowrap>甲</th><td align="right" height="9">乙</td></tr></table>',
      '<center>居中</center><p>旧<tt>等宽</tt><strike>删</strike><font color="red">字</font><big>大</big><acronym title="中华">中</acronym></p>',
      '<p id="dup">一</p><p id="dup">二</p><p id="9bad">三</p><p><a href="#9bad">链</a><span aria-labelledby="dup nowhere">四</span></p>',
      '<ul><li><input type="checkbox" checked disabled> 办完</li></ul><picture><source srcset="x.webp"><img src="x.png" alt="图"></picture>',
      // Values the schema refuses, an image a link points to, and an id percent-encoded as Markdown writes a footnote's.
      '<p lang="zh_CN" dir="left">语</p><p lang="zh-Hant" dir="rtl"><del datetime="昨天">旧</del><ins datetime="2026-11-29T08:00+08:00">新</ins></p>',
      '<img id="chart" src="chart.png" alt="图表"><p><a href="#chart">见图表</a></p><p id="fn-%E6%B3%A81">注</p><p><a href="#fn-%E6%B3%A81">1</a></p>',
    ].join(''),
  );
  const body = elements(fragment, (node) => node.tagName === 'body')[0];
  const input = await inputFrom('---\nheadline: 旧式 HTML\n---\n\n开头。\n');
  const [articleBody] = elements(input.tree, (node) => node.properties.className?.toString().includes('article-body') ?? false);
  articleBody?.children.push(...(body?.children ?? []).filter((node) => node.type === 'element'));
  const { bytes } = await buildEpub(input);
  const markup = entry(await unpack(bytes), 'OEBPS/article.xhtml');
  const chapter = parseXhtml(markup);

  it.skipIf(skipEpubcheck)('passes EPUBCheck with 0 errors and 0 warnings', async () => {
    const report = await epubcheckBytes(bytes, scratch, 'obsolete');
    expect(report.problems).toEqual([]);
  });

  it('turns alignment into CSS, renames obsolete elements, drops presentational attributes and broken ids', () => {
    const [th] = elements(chapter, (node) => node.tagName === 'th');
    expect(th?.properties.style).toBe('text-align: center; vertical-align: top');
    expect(elements(chapter, (node) => node.tagName === 'td')[0]?.properties.style).toBe('text-align: right');
    expect(markup).not.toMatch(/\b(border|cellpadding|width|height|summary|bgcolor|nowrap|color)="/);
    expect(markup).not.toMatch(/<(center|tt|strike|font|big|acronym|picture|source)\b/);
    expect(markup).toContain('<div style="text-align: center">居中</div>');
    expect(markup).toContain('<p>旧<code>等宽</code><s>删</s><span>字</span><span style="font-size: larger">大</span><abbr title="中华">中</abbr></p>');
    expect(elements(chapter, (node) => node.properties.id === 'dup')).toHaveLength(1);
    expect(markup).not.toContain('9bad');
    expect(markup).toContain('<span aria-labelledby="dup">四</span>');
    expect(markup).toContain('<li><label><input type="checkbox" checked="CHECKED" disabled="DISABLED" /> 办完</label></li>');
    expect(markup).toContain('<span class="image placeholder" role="img" aria-label="图"></span>');
    expect(markup).toContain('<p>语</p><p lang="zh-Hant" dir="rtl" xml:lang="zh-Hant"><del>旧</del><ins datetime="2026-11-29T08:00+08:00">新</ins></p>');
    expect(markup).toContain('<span id="chart" class="image placeholder" role="img" aria-label="图表"></span><p><a href="#chart">见图表</a></p>');
    expect(markup).toContain('<p id="fn-注1">注</p><p><a href="#fn-%E6%B3%A81">1</a></p>');
    expect(text(elements(chapter, (node) => node.tagName === 'article')[0] ?? chapter)).toBe(text(elements(input.tree, (node) => node.tagName === 'article')[0] ?? input.tree));
  });
});

describe('articles without photos, deck or byline', async () => {
  const variants: Array<[string, string]> = [
    ['no photos', '---\nheadline: 无图\ndeck: ——副题在此\nbyline: □本报记者 王路曼\nauthors: [王路曼]\n---\n\n正文一段。\n\n## 小标题\n\n正文二段。\n'],
    ['no deck', '---\nheadline: 无副题\nbyline: □本报记者 王路曼\nphotos:\n  - name: 赵莹\n    caption: 工会主席\n---\n\n正文一段。\n'],
    ['no byline', '---\nheadline: 无署名\ndeck: ——副题在此\n---\n\n正文一段。\n\n### 三级小标题\n\n正文二段。\n'],
  ];
  for (const [name, markdown] of variants) {
    it.skipIf(skipEpubcheck)(`${name}: passes EPUBCheck with 0 errors and 0 warnings`, async () => {
      const { bytes } = await buildEpub(await inputFrom(markdown));
      const report = await epubcheckBytes(bytes, scratch, name.replace(/ /g, '-'));
      expect(report.problems).toEqual([]);
    });
  }
});

describe('the fonts of a numbered list', () => {
  it('draw its markers: the digits and the full stop a reader writes before each item, though the text has none', async () => {
    const input = await inputFrom('---\nheadline: 注释\n---\n\n正文有两条注释[^a]，见文末[^b]。\n\n1. 第一项\n2. 第二项\n\n[^a]: 第一条说明。\n\n[^b]: 第二条说明。\n');
    const { bytes } = await buildEpub(input);
    const book = await unpack(bytes);
    const fonts = book.names.filter((name) => name.startsWith('OEBPS/fonts/')).map((name) => fontkit.create(Buffer.from(book.binary.get(name) ?? new Uint8Array())) as unknown as { hasGlyphForCodePoint(code: number): boolean });
    const drawn = (char: string) => fonts.some((font) => font.hasGlyphForCodePoint(char.codePointAt(0) ?? 0));
    // The article writes neither a full stop nor a 7.
    expect(text(input.tree)).not.toMatch(/[.7]/);
    for (const char of '0123456789.') expect(drawn(char), char).toBe(true);
  });
});
