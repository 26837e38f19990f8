import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Element } from 'hast';
import { toText } from 'hast-util-to-text';
import JSZip from 'jszip';
import sharp from 'sharp';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { buildEpub } from '../src/epub/index.js';
import { coverImage } from '../src/epub/images.js';
import { uuidV5 } from '../src/epub/metadata.js';
import { epubcheckMissing, type EpubcheckResult } from './support/epubcheck.js';
import { elements, entry as file, epubcheckBytes as check, inputFrom, parseXhtml, TINY_PNG, unpack } from './support/epub-book.js';

const SEED = join(import.meta.dirname, '..', 'content', '000_952877358d78f3b2.md');
const FIXTURE = join(import.meta.dirname, 'fixtures', 'epub', 'seed-like.md');
const scratch = mkdtempSync(join(tmpdir(), 'presswork-epub-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const epubcheckAbsent = await epubcheckMissing();
const skipEpubcheck = epubcheckAbsent !== undefined;
if (epubcheckAbsent) console.warn(`EPUBCheck tests skipped: ${epubcheckAbsent}`);

const epubcheckBytes = (bytes: Uint8Array, name: string): Promise<EpubcheckResult> => check(bytes, scratch, name);
const FONT_ENTRY = /^OEBPS\/fonts\/f\d+-\d+\.ttf$/;

const seedLike = readFileSync(FIXTURE, 'utf8');

describe('buildEpub: the seed-like article', async () => {
  const input = await inputFrom(seedLike);
  const { bytes } = await buildEpub(input);
  const book = await unpack(bytes);
  const opf = file(book, 'OEBPS/content.opf');
  const chapter = file(book, 'OEBPS/article.xhtml');
  const nav = file(book, 'OEBPS/nav.xhtml');

  it.skipIf(skipEpubcheck)('passes EPUBCheck 4.2.6 with 0 errors and 0 warnings', async () => {
    const report = await epubcheckBytes(bytes, 'seed-like');
    expect(report.problems).toEqual([]);
    expect([report.nFatal, report.nError, report.nWarning]).toEqual([0, 0, 0]);
  });

  it.skipIf(skipEpubcheck)('is checked by a harness that does see errors (an empty description is RSC-005)', async () => {
    const zip = await JSZip.loadAsync(bytes);
    zip.file('OEBPS/content.opf', opf.replace(/<dc:description>[^<]*<\/dc:description>/, '<dc:description></dc:description>'));
    const report = await epubcheckBytes(await zip.generateAsync({ type: 'uint8array' }), 'broken');
    expect(report.problems.some((line) => line.startsWith('ERROR RSC-005'))).toBe(true);
    expect(report.nError).toBeGreaterThan(0);
  });

  it('is in the article language everywhere, never en', () => {
    expect(opf).toContain('<dc:language>zh-CN</dc:language>');
    expect(opf).toMatch(/<package [^>]*xml:lang="zh-CN"/);
    expect(file(book, 'OEBPS/toc.ncx')).toMatch(/<ncx [^>]*xml:lang="zh-CN"/);
    for (const name of ['OEBPS/article.xhtml', 'OEBPS/nav.xhtml']) {
      expect(file(book, name)).toMatch(/<html [^>]*lang="zh-CN" xml:lang="zh-CN"/);
    }
    for (const [name, text] of book.text) {
      expect(text, name).not.toMatch(/(?:xml:)?lang="en(?:-[^"]*)?"/);
    }
  });

  it('names each author in a dc:creator of its own, as author', () => {
    const creators = [...opf.matchAll(/<dc:creator id="(creator-\d)">([^<]*)<\/dc:creator>/g)];
    expect(creators.map((match) => match[2])).toEqual(['王路曼', '陈曦', '马超', '李一然']);
    expect(opf.match(/<dc:creator\b/g)).toHaveLength(4);
    for (const [, id] of creators) {
      expect(opf).toContain(`<meta refines="#${id}" property="role" scheme="marc:relators">aut</meta>`);
    }
  });

  it('describes the article by its deck without the leading dashes', () => {
    expect(opf).toContain('<dc:description>市委党的群团工作会议在首都企业工会引起强烈反响</dc:description>');
  });

  it('dates the book from SOURCE_DATE_EPOCH and names the generator, but claims no publication date it was not given', () => {
    expect(opf).toContain('<meta property="dcterms:modified">2023-11-14T22:13:20Z</meta>');
    expect(opf).not.toContain('<dc:date>');
    expect(opf).toContain('<meta name="generator" content="presswork 0.1.0"/>');
  });

  it('has ASCII file names, mimetype first and stored, and nothing fetched', () => {
    expect(book.names.filter((name) => !FONT_ENTRY.test(name))).toEqual(['mimetype', 'META-INF/container.xml', 'OEBPS/content.opf', 'OEBPS/nav.xhtml', 'OEBPS/toc.ncx', 'OEBPS/style.css', 'OEBPS/article.xhtml']);
    expect(book.names.slice(7).every((name) => FONT_ENTRY.test(name))).toBe(true);
    for (const name of book.names) expect(name).toMatch(/^[\x21-\x7e]+$/);
    const header = Buffer.from(bytes.subarray(0, 58));
    expect(header.readUInt32LE(0)).toBe(0x04034b50);
    expect(header.readUInt16LE(8)).toBe(0); // STORED
    expect(header.readUInt16LE(28)).toBe(0); // no extra field
    expect(header.toString('latin1', 30, 58)).toBe('mimetypeapplication/epub+zip');
    // Entry date = SOURCE_DATE_EPOCH (2023-11-14 22:13:20 UTC) in DOS form.
    expect(header.readUInt16LE(10)).toBe((22 << 11) | (13 << 5) | (20 / 2));
    expect(header.readUInt16LE(12)).toBe(((2023 - 1980) << 9) | (11 << 5) | 14);
  });

  it('has the headline block, five caption-only figures and the section heads', () => {
    const xhtml = parseXhtml(chapter);
    expect(toText(elements(xhtml, (node) => node.tagName === 'title')[0] ?? xhtml)).toBe('努力实现服务职工零距离');
    expect(elements(xhtml, (node) => node.tagName === 'h1').map((node) => toText(node))).toEqual(['努力实现服务职工零距离']);
    const figures = elements(xhtml, (node) => node.tagName === 'figure');
    expect(figures).toHaveLength(5);
    for (const figure of figures) {
      const children = figure.children.filter((child): child is Element => child.type === 'element');
      expect(children.map((child) => child.tagName)).toEqual(['figcaption']);
    }
    expect(toText(figures[1] ?? xhtml)).toContain('卢暘');
    expect(chapter).not.toMatch(/<img\b|placeholder/);
    expect(elements(xhtml, (node) => node.tagName === 'h2').map((node) => [node.properties.id, toText(node)])).toEqual([
      ['section-1', '工会组织要始终走在时代前列'],
      ['section-2', '工会组织要探索有效工作抓手'],
      ['section-3', '工会组织要坚持问题意识、改革创新'],
    ]);
  });

  it('keeps every paragraph of the tree, character for character, as UTF-8 text', () => {
    const before = elements(input.tree, (node) => node.tagName === 'p').map((node) => toText(node));
    const after = elements(parseXhtml(chapter), (node) => node.tagName === 'p').map((node) => toText(node));
    expect(before).toHaveLength(20); // deck, byline and 18 body paragraphs
    expect(after).toEqual(before);
    // Han characters are written as themselves, not as &#x…; references.
    expect(chapter).toContain('北京奔驰党委副书记、纪委书记、工会主席卢暘表示');
    expect(chapter).not.toMatch(/&#x[0-9a-f]{4,5};/i);
  });

  it('links the nav to the headline and each section head, with a bodymatter landmark', () => {
    const links = elements(parseXhtml(nav), (node) => node.tagName === 'a').map((node) => [node.properties.href, toText(node)]);
    expect(links).toEqual([
      ['article.xhtml', '努力实现服务职工零距离'],
      ['article.xhtml#section-1', '工会组织要始终走在时代前列'],
      ['article.xhtml#section-2', '工会组织要探索有效工作抓手'],
      ['article.xhtml#section-3', '工会组织要坚持问题意识、改革创新'],
      ['article.xhtml', '正文'],
      ['article.xhtml#page-1', '1'],
    ]);
    expect(nav).toContain('<a epub:type="bodymatter" href="article.xhtml">');
  });

  it('does not change the tree it was given (the page is made from it too)', async () => {
    const again = await inputFrom(seedLike);
    expect(input.tree).toEqual(again.tree);
  });
});

describe('buildEpub: reproducible', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives the same identifier and the same bytes when built twice at different clock times', async () => {
    const input = await inputFrom(seedLike);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2001-02-03T04:05:06Z'));
    const { bytes: first } = await buildEpub(input);
    vi.setSystemTime(new Date('2031-12-30T23:58:00Z'));
    // Also made from the font chunks the first build decoded and kept (fonts.ts), which must not change a byte.
    const { bytes: second } = await buildEpub(await inputFrom(seedLike));
    vi.useRealTimers();
    const identifier = async (bytes: Uint8Array) => /<dc:identifier id="pub-id">([^<]+)</.exec(file(await unpack(bytes), 'OEBPS/content.opf'))?.[1];
    const id = await identifier(first);
    expect(id).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await identifier(second)).toBe(id);
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
    // Not a constant: other text, other identifier.
    const { bytes: edited } = await buildEpub(await inputFrom(seedLike.replace('卢暘表示', '卢暘说')));
    expect(await identifier(edited)).not.toBe(id);
  });

  it('dates an article without SOURCE_DATE_EPOCH by its own date, never the clock', async () => {
    const markdown = seedLike.replace('authors:', 'date: 2015-09-20\nauthors:');
    const input = await inputFrom(markdown, { sourceDateEpoch: undefined });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2031-12-30T23:58:00Z'));
    const opf = file(await unpack((await buildEpub(input)).bytes), 'OEBPS/content.opf');
    vi.useRealTimers();
    expect(opf).toContain('<meta property="dcterms:modified">2015-09-20T00:00:00Z</meta>');
    expect(opf).toContain('<dc:date>2015-09-20</dc:date>');
  });

  it('refuses a lang that is not a language tag rather than write an invalid EPUB', async () => {
    const input = await inputFrom(seedLike);
    await expect(buildEpub({ ...input, frontMatter: { ...input.frontMatter, lang: 'Chinese (simplified)' } })).rejects.toThrow(/not a BCP 47 language tag/);
  });

  it('makes name-based UUIDs as RFC 4122 does', () => {
    // Python: uuid.uuid5(uuid.NAMESPACE_DNS, 'www.example.com')
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });
});

describe('buildEpub: a bare article', async () => {
  const markdown = '---\nheadline: 短讯\n---\n\n第一段，没有副题、署名和照片。\n\n第二段。\n';
  const input = await inputFrom(markdown, { sourceDateEpoch: undefined });
  const { bytes } = await buildEpub(input);
  const book = await unpack(bytes);
  const opf = file(book, 'OEBPS/content.opf');

  it.skipIf(skipEpubcheck)('passes EPUBCheck with 0 errors and 0 warnings', async () => {
    const report = await epubcheckBytes(bytes, 'bare');
    expect(report.problems).toEqual([]);
    expect([report.nFatal, report.nError, report.nWarning]).toEqual([0, 0, 0]);
  });

  it('describes itself by its first paragraph and has no creator, date or figure', () => {
    expect(opf).toContain('<dc:description>第一段，没有副题、署名和照片。</dc:description>');
    expect(opf).not.toContain('<dc:creator');
    expect(opf).not.toContain('<dc:date>');
    expect(opf).toContain('<meta property="dcterms:modified">1980-01-01T00:00:00Z</meta>');
    expect(file(book, 'OEBPS/article.xhtml')).not.toContain('<figure');
  });
});

describe('buildEpub: what an EPUB cannot carry', async () => {
  const markdown = [
    '---',
    'headline: 图片与链接',
    'deck: 副题',
    'photos:',
    '  - src: https://example.invalid/portrait.jpg',
    '    name: 张三',
    '    caption: 远程照片',
    '  - src: photos/local.jpg',
    '    caption: 本地照片',
    '---',
    '',
    '增长5%>3%，模板<%= 1 + 1 %>不执行，A & B &lt;c&gt; ]]> 照旧。',
    '',
    '正文![插图](https://example.invalid/inline.png)在此，[另一篇](other.md)、[网站](https://example.org/)和[本文](#section-1)。',
    '',
    '## 小标题',
    '',
    '末段。',
  ].join('\n');
  const input = await inputFrom(markdown, { runningHead: { paper: '劳动午报', date: '2015-09-20', section: '要闻', sampleFields: ['paper', 'section'] } });
  const { bytes } = await buildEpub(input);
  const book = await unpack(bytes);
  const chapter = file(book, 'OEBPS/article.xhtml');

  it.skipIf(skipEpubcheck)('still passes EPUBCheck with 0 errors and 0 warnings', async () => {
    const report = await epubcheckBytes(bytes, 'hazards');
    expect(report.problems).toEqual([]);
    expect([report.nFatal, report.nError, report.nWarning]).toEqual([0, 0, 0]);
  });

  it('fetches and packs no image: figures keep their captions, the inline image its name', () => {
    expect(book.names.filter((name) => !/^(mimetype|META-INF\/container\.xml|OEBPS\/(content\.opf|nav\.xhtml|toc\.ncx|style\.css|article\.xhtml|fonts\/f\d+-\d+\.ttf))$/.test(name))).toEqual([]);
    expect(chapter).not.toMatch(/<img\b|example\.invalid|local\.jpg/);
    const xhtml = parseXhtml(chapter);
    expect(elements(xhtml, (node) => node.tagName === 'figure').map((node) => toText(node))).toEqual(['张三远程照片', '本地照片']);
    expect(chapter).toContain('<span class="image placeholder" role="img" aria-label="插图"></span>');
  });

  it('keeps text that looks like markup or template code, and the words of dead links', () => {
    const paragraphs = elements(parseXhtml(chapter), (node) => node.tagName === 'p').map((node) => toText(node));
    expect(paragraphs).toContain('增长5%>3%，模板<%= 1 + 1 %>不执行，A & B <c> ]]> 照旧。');
    expect(paragraphs).toContain('正文在此，另一篇、网站和本文。');
    expect(chapter).not.toContain('other.md');
    expect(chapter).toContain('<a href="https://example.org/">网站</a>');
    expect(chapter).toContain('<a href="#section-1">本文</a>');
  });

  it('records real running-head values and leaves out the sample ones', () => {
    const opf = file(book, 'OEBPS/content.opf');
    expect(opf).not.toContain('<dc:publisher>');
    expect(opf).toContain('<dc:date>2015-09-20</dc:date>');
  });
});

describe.skipIf(!existsSync(SEED) || skipEpubcheck)('buildEpub: the real seed', () => {
  it('passes EPUBCheck with 0 errors and 0 warnings', async () => {
    const { bytes } = await buildEpub(await inputFrom(readFileSync(SEED, 'utf8'), { slug: '000_952877358d78f3b2' }));
    const report = await epubcheckBytes(bytes, 'seed');
    expect(report.problems).toEqual([]);
  });
});

describe('buildEpub: archival metadata', async () => {
  const edition = { paper: '劳动午报', date: '2015-09-20', page: 3, section: '要闻', sampleFields: [] };
  const opfOf = async (bytes: Uint8Array) => file(await unpack(bytes), 'OEBPS/content.opf');
  const identifierOf = (opf: string) => /<dc:identifier id="pub-id">([^<]+)</.exec(opf)?.[1];

  it('records the paper, section, edition and date, and keeps the identifier of that edition through a correction', async () => {
    const input = await inputFrom(seedLike, { runningHead: edition });
    const opf = await opfOf((await buildEpub(input)).bytes);
    expect(opf).toContain('<dc:publisher>劳动午报</dc:publisher>');
    expect(opf).toContain('<dc:subject>要闻</dc:subject>');
    expect(opf).toContain('<dc:source>劳动午报 2015-09-20 第3版</dc:source>');
    expect(opf).toContain('<dc:date>2015-09-20</dc:date>');
    expect(opf).toContain('<meta property="dcterms:modified">2023-11-14T22:13:20Z</meta>');
    expect(identifierOf(opf)).toBe(`urn:uuid:${uuidV5('presswork:edition:劳动午报:2015-09-20:story', '6ba7b811-9dad-11d1-80b4-00c04fd430c8')}`);
    expect(input.file.messages.map((message) => message.ruleId)).not.toContain('archival-metadata');

    const corrected = await inputFrom(seedLike.replace('卢暘表示', '卢暘说'), { runningHead: edition });
    expect(identifierOf(await opfOf((await buildEpub(corrected)).bytes))).toBe(identifierOf(opf));
    const otherDay = await inputFrom(seedLike, { runningHead: { ...edition, date: '2015-09-21' } });
    expect(identifierOf(await opfOf((await buildEpub(otherDay)).bytes))).not.toBe(identifierOf(opf));
  });

  it('warns that the archival metadata is incomplete when the paper and date are only sample values', async () => {
    const input = await inputFrom(seedLike, { runningHead: { ...edition, sampleFields: ['paper', 'date', 'page', 'section'] } });
    const opf = await opfOf((await buildEpub(input)).bytes);
    for (const tag of ['dc:publisher', 'dc:subject', 'dc:source', 'dc:date']) expect(opf).not.toContain(`<${tag}>`);
    expect(opf).not.toContain('示例');
    const warnings = input.file.messages.filter((message) => message.ruleId === 'archival-metadata');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.reason).toMatch(/^archival metadata incomplete: the article names no paper and no date/);
    expect(warnings[0]?.fatal).toBe(false);
  });

  it('warns about the date alone when only the paper is known', async () => {
    const input = await inputFrom(seedLike, { runningHead: { paper: '劳动午报', sampleFields: [] } });
    const opf = await opfOf((await buildEpub(input)).bytes);
    expect(opf).toContain('<dc:source>劳动午报</dc:source>');
    expect(input.file.messages.find((message) => message.ruleId === 'archival-metadata')?.reason).toMatch(/names no date \(/);
  });

  it('states schema.org accessibility metadata, with visual access only when there is a cover', async () => {
    const plain = await opfOf((await buildEpub(await inputFrom(seedLike))).bytes);
    const covered = await opfOf((await buildEpub(await inputFrom(seedLike, { print: { png: TINY_PNG, pageStarts: [] } }))).bytes);
    for (const opf of [plain, covered]) {
      expect(opf).toContain('<meta property="schema:accessMode">textual</meta>');
      expect(opf).toContain('<meta property="schema:accessModeSufficient">textual</meta>');
      for (const feature of ['structuralNavigation', 'tableOfContents', 'readingOrder', 'printPageNumbers', 'pageBreakMarkers']) {
        expect(opf).toContain(`<meta property="schema:accessibilityFeature">${feature}</meta>`);
      }
      expect(opf).toContain('<meta property="schema:accessibilityHazard">none</meta>');
      expect(opf).toMatch(/<meta property="schema:accessibilitySummary">本书是一篇报纸文章的文字版/);
    }
    expect(plain).not.toContain('visual');
    expect(covered).toContain('<meta property="schema:accessMode">visual</meta>');
    expect(covered).toContain('<meta property="schema:accessibilityFeature">alternativeText</meta>');
  });
});

describe('buildEpub: the cover is the printed page 1', async () => {
  const png = readFileSync(join(import.meta.dirname, 'fixtures', 'epub', 'page-1.png'));
  const input = await inputFrom(seedLike, { print: { png, pageStarts: [] } });
  const result = await buildEpub(input);
  const book = await unpack(result.bytes);

  it.skipIf(skipEpubcheck)('passes EPUBCheck with 0 errors and 0 warnings', async () => {
    const report = await epubcheckBytes(result.bytes, 'cover');
    expect(report.problems).toEqual([]);
  });

  it('packs the render as the cover image, the same size in fewer bytes, named in words, first in the spine', async () => {
    expect(result.cover).toBe(true);
    // The fixture's render is a small palette PNG already: it goes in as it is.
    expect(Buffer.from(book.binary.get('OEBPS/cover.png') ?? []).equals(png)).toBe(true);
    const opf = file(book, 'OEBPS/content.opf');
    expect(opf).toContain('<item id="cover-image" href="cover.png" media-type="image/png" properties="cover-image"/>');
    expect(opf).toMatch(/<spine toc="ncx">\s*<itemref idref="cover"\/>\s*<itemref idref="article"\/>/);
    const coverPage = parseXhtml(file(book, 'OEBPS/cover.xhtml'));
    const [image] = elements(coverPage, (node) => node.tagName === 'img');
    expect(image?.properties.src).toBe('cover.png');
    expect(image?.properties.alt).toBe('印刷版第1页版面，刊登《努力实现服务职工零距离》；全文见正文。');
    expect(file(book, 'OEBPS/nav.xhtml')).toContain('<a epub:type="cover" href="cover.xhtml">封面</a>');
  });

  it('packs a full-size render as a palette PNG: the same page in far fewer bytes', async () => {
    // A page of type as Chromium renders it: paper, ink and anti-aliased edges in many greys.
    const [width, height] = [1200, 1700];
    const raw = Buffer.alloc(width * height * 3, 255);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const glyph = (x % 24 < 20 && y % 36 < 30 && ((x * 7 + y * 13) % 17) < 9) || x % 240 === 0;
        const edge = (x % 24 === 20 || y % 36 === 30) && (x + y) % 3 === 0;
        raw.fill(glyph ? 20 + ((x * y) % 5) : edge ? 120 + ((x + 2 * y) % 90) : 250 - (y % 4), (y * width + x) * 3, (y * width + x) * 3 + 3);
      }
    }
    const render = new Uint8Array(await sharp(raw, { raw: { width, height, channels: 3 } }).png().toBuffer());
    const cover = await coverImage(render);
    expect(cover.byteLength).toBeLessThan(render.byteLength * 0.75);
    const [a, b] = [await sharp(cover).removeAlpha().raw().toBuffer(), await sharp(render).raw().toBuffer()];
    expect(a.length).toBe(b.length);
    let worst = 0;
    for (let index = 0; index < a.length; index++) worst = Math.max(worst, Math.abs((a[index] ?? 0) - (b[index] ?? 0)));
    expect(worst).toBeLessThan(48);
    expect(Buffer.from(await coverImage(render)).equals(cover)).toBe(true);
  });

  it('has no cover when the page was not rendered', async () => {
    const bare = await buildEpub(await inputFrom(seedLike, { print: { png: new Uint8Array(), pageStarts: [] } }));
    expect(bare.cover).toBe(false);
    expect((await unpack(bare.bytes)).names.filter((name) => name.includes('cover'))).toEqual([]);
  });
});
