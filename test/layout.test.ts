import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { VFile } from 'vfile';
import { frontMatterSchema } from '../src/content/schema.js';
import { loadFonts, parseUnicodeRange, undrawable } from '../src/layout/fonts.js';
import { formatChineseDate, formatPageNumber, loadTemplate, renderPage } from '../src/layout/index.js';
import { isWoff2, woff2CmapFont } from '../src/layout/woff2-cmap.js';
import { createArticleProcessor, transformArticle } from '../src/transform/index.js';

describe('fonts', () => {
  it('parses unicode-range lists, single points and wildcards', () => {
    expect(parseUnicodeRange('U+4e00-9fff, U+3000, U+30??')).toEqual([
      [0x4e00, 0x9fff],
      [0x3000, 0x3000],
      [0x3000, 0x30ff],
    ]);
  });

  it('finds 暘 in the bundled Song font and reports a character no font draws', () => {
    const fonts = loadFonts([{ role: 'body', family: 'Noto Serif SC', weight: 400, css: '@fontsource/noto-serif-sc/400.css' }]);
    // 暘 lives only in a numbered chunk of Noto Serif SC (TYPESETTING.md); 𓀀 is an Egyptian hieroglyph.
    expect(undrawable(fonts, '卢暘表示')).toEqual([]);
    expect(undrawable(fonts, '卢暘𓀀')).toEqual(['𓀀']);
  });

  it('loads every font the newspaper template names, each with its chunks', () => {
    const template = loadTemplate('newspaper');
    expect(template.fonts.map((font) => `${font.family} ${font.weight}`)).toEqual([
      'Noto Serif SC 400',
      'Noto Serif SC 700',
      'Noto Sans SC 400',
      'Noto Sans SC 700',
      'LXGW WenKai 400',
    ]);
    for (const font of template.fonts) expect(font.files.length).toBeGreaterThan(50);
  });

  it('reads a WOFF2 chunk\'s cmap with native Brotli exactly as fontkit reads the whole file', () => {
    type Cmap = { hasGlyphForCodePoint(codePoint: number): boolean };
    const template = loadTemplate('newspaper');
    let compared = 0;
    for (const font of template.fonts) {
      // Every seventh chunk of each face, and its last (the Latin and punctuation chunks come last in @fontsource).
      const files = font.files.filter((_, index) => index % 7 === 0 || index === font.files.length - 1);
      for (const file of files) {
        const bytes = readFileSync(file.path);
        expect(isWoff2(bytes)).toBe(true);
        const whole = fontkit.create(bytes) as unknown as Cmap;
        const cut = fontkit.create(Buffer.from(woff2CmapFont(bytes))) as unknown as Cmap;
        for (const [from, to] of file.ranges) {
          // One past each end too: a code point the chunk does not hold must be absent in both.
          for (let codePoint = Math.max(0, from - 1); codePoint <= Math.min(to + 1, 0x10ffff); codePoint++) {
            expect(cut.hasGlyphForCodePoint(codePoint), `${file.path} U+${codePoint.toString(16)}`).toBe(whole.hasGlyphForCodePoint(codePoint));
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(10_000);
    expect(() => woff2CmapFont(new Uint8Array(64))).toThrow(/not a WOFF2/);
  });
});

describe('running head', () => {
  it('writes dates and page numbers the way a Chinese paper prints them', () => {
    expect(formatChineseDate('2026-11-29')).toBe('2026年11月29日 星期日');
    expect(formatChineseDate('2000-01-01')).toBe('2000年1月1日 星期六');
    expect(formatPageNumber(3)).toBe('第3版');
    expect(formatPageNumber('A03')).toBe('A03版');
  });
});

describe('renderPage', () => {
  it('fills the template: title, running head, article, page geometry and file:// stylesheets', async () => {
    const file = new VFile({ path: 'story.md', value: '正文。' });
    file.data.frontMatter = frontMatterSchema.parse({ headline: '努力实现服务职工零距离', layout: { preset: 'a4' } });
    const tree = await transformArticle(createArticleProcessor(), file);
    const article = {
      file,
      frontMatter: file.data.frontMatter,
      slug: 'story',
      runningHead: { paper: '示例日报', date: '2000-01-01', page: 3, section: '样张', sampleFields: [] },
      layout: { preset: 'a4' as const },
    };
    const doc = renderPage(article, tree, loadTemplate('newspaper'));
    expect(doc.geometry.name).toBe('a4');
    expect(doc.html).toContain('<title data-slot="title">努力实现服务职工零距离</title>');
    expect(doc.html).toContain('@page { size: 210mm 297mm; margin: 0; }');
    expect(doc.html).toContain('--columns: 4;');
    expect(doc.html).toContain('<span class="page-no">第3版</span><span class="section">样张</span>');
    expect(doc.html).toContain('<div class="date">2000年1月1日 星期六</div>');
    expect(doc.html).toMatch(/<link rel="stylesheet" href="file:\/\/\/[^"]+\/noto-serif-sc\/400\.css">/);
    expect(doc.html).toContain('<div class="article-body"><p id="b-1">正文。</p></div>');
    expect(doc.html).toMatch(/<html lang="zh-CN">/);
  });
});

describe('renderPage image paths', () => {
  it('resolves a photo path against the article folder, since the page is loaded from elsewhere', async () => {
    const file = new VFile({ path: '/news/content/story.md', value: '正文。' });
    file.data.frontMatter = frontMatterSchema.parse({ headline: '标题', photos: [{ src: 'photos/zhao.jpg', caption: '工会主席' }] });
    const tree = await transformArticle(createArticleProcessor(), file);
    const article = { file, frontMatter: file.data.frontMatter, slug: 'story', runningHead: { sampleFields: [] }, layout: {} };
    const { html } = renderPage(article, tree, loadTemplate('newspaper'));
    expect(html).toContain('src="file:///news/content/photos/zhao.jpg"');
  });

  it('unlinks a link to a path, which would print as a link into the temporary folder; keeps its words, and links to the web and into the page', async () => {
    const file = new VFile({ path: '/news/content/story.md', value: '见[另一篇](other.md)、[上级](../index.html)、[网页](https://example.com/a)、[邮件](mailto:desk@example.com)和脚注[^1]。\n\n[^1]: 注释。' });
    file.data.frontMatter = frontMatterSchema.parse({ headline: '标题' });
    const tree = await transformArticle(createArticleProcessor(), file);
    const article = { file, frontMatter: file.data.frontMatter, slug: 'story', runningHead: { sampleFields: [] }, layout: {} };
    const { html } = renderPage(article, tree, loadTemplate('newspaper'));
    const links = [...html.matchAll(/<a\b([^>]*)>(.*?)<\/a>/g)].map(([, attributes, words]) => [/href="([^"]*)"/.exec(attributes ?? '')?.[1] ?? null, words]);
    expect(links).toContainEqual([null, '另一篇']);
    expect(links).toContainEqual([null, '上级']);
    expect(links).toContainEqual(['https://example.com/a', '网页']);
    expect(links).toContainEqual(['mailto:desk@example.com', '邮件']);
    expect(links.some(([href]) => href?.startsWith('#'))).toBe(true);
    expect(html).not.toContain('other.md');
  });
});

describe('page geometry', () => {
  it('takes the preset and applies the overrides an article or paper gives', async () => {
    const { pageGeometry } = await import('../src/layout/presets.js');
    expect(pageGeometry().name).toBe('tabloid');
    expect(pageGeometry({ preset: 'broadsheet' })).toMatchObject({ columns: 8, span: 8, depth: 'fit' });
    const custom = pageGeometry({ width: 300, height: 450, columns: 6, span: 4, margin: 10, bodySize: 9, leading: { min: 1.5, max: 1.7 }, columnRule: false });
    expect(custom).toMatchObject({ name: 'custom', width: 300, height: 450, columns: 6, span: 4, columnRule: false });
    expect(custom.margin).toEqual({ top: 10, bottom: 10, inner: 10, outer: 10 });
    expect(custom.bodySize).toEqual({ min: 9, max: 9 });
    expect(custom.leading).toEqual({ min: 1.5, max: 1.7 });
  });

  it('refuses half a custom size and a span wider than the grid', () => {
    expect(frontMatterSchema.safeParse({ headline: 'x', layout: { width: 300 } }).success).toBe(false);
    expect(frontMatterSchema.safeParse({ headline: 'x', layout: { columns: 4, span: 5 } }).success).toBe(false);
    expect(frontMatterSchema.safeParse({ headline: 'x', layout: { width: 300, height: 450, span: 3 } }).success).toBe(true);
  });
});

describe('folio numbering', () => {
  it('continues 第3版 on 4 and A03 on A04, and counts from 1 when the article has no 版次', async () => {
    const { folioNumbering } = await import('../src/layout/folio.js');
    expect(folioNumbering(3)).toEqual({ start: 3, prefix: '', width: 1 });
    expect(folioNumbering('A03')).toEqual({ start: 3, prefix: 'A', width: 2 });
    expect(folioNumbering(undefined)).toEqual({ prefix: '', width: 1 });
  });
});

describe('headline phrase breaks', () => {
  /** The page's headline and deck as rendered for this front matter, and the whole page. */
  async function headlineBlock(frontMatter: { headline: string; deck: string }): Promise<{ headline: string; deck: string; html: string }> {
    const file = new VFile({ path: 'story.md', value: '正文。' });
    file.data.frontMatter = frontMatterSchema.parse(frontMatter);
    const tree = await transformArticle(createArticleProcessor(), file);
    const article = { file, frontMatter: file.data.frontMatter, slug: 'story', runningHead: { sampleFields: [] }, layout: {} };
    const { html } = renderPage(article, tree, loadTemplate('newspaper'));
    return {
      headline: /<h1 class="headline" id="headline">(.*?)<\/h1>/.exec(html)?.[1] ?? '',
      deck: /<p class="deck">(.*?)<\/p>/.exec(html)?.[1] ?? '',
      html,
    };
  }

  it('marks BudouX phrase boundaries with <wbr> and changes no character', async () => {
    const { headline, deck } = await headlineBlock({ headline: '努力实现服务职工零距离', deck: '——市委党的群团工作会议在首都企业工会引起强烈反响' });
    expect(headline).toContain('<wbr>');
    expect(headline.replace(/<wbr>/g, '')).toBe('努力实现服务职工零距离');
    expect(deck.split('<wbr>').length).toBeGreaterThan(3);
    expect(deck.replace(/<wbr>/g, '')).toBe('——市委党的群团工作会议在首都企业工会引起强烈反响');
  });

  it('never breaks inside a character: a hanzi outside the BMP, or a hanzi and its variation selector', async () => {
    // BudouX cuts 𩾌 (U+29F8C) in two here, and 葛 from its ideographic variation selector.
    const { headline, deck, html } = await headlineBlock({ headline: '𩽾𩾌鱼很好吃', deck: '葛\u{E0100}洪的讲话' });
    expect(headline.replace(/<wbr>/g, '')).toBe('𩽾𩾌鱼很好吃');
    expect(deck.replace(/<wbr>/g, '')).toBe('葛\u{E0100}洪的讲话');
    for (const text of [headline, deck]) {
      expect(text).toContain('<wbr>');
      // No phrase starts with the second half of a character.
      for (const phrase of text.split('<wbr>')) expect(phrase, phrase).toMatch(/^(?![\udc00-\udfff]|\u{E0100}|[\ufe00-\ufe0f])/u);
    }
    expect(html).not.toContain('\ufffd');
  });
});
