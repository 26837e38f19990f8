import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Element, Root } from 'hast';
import { toText } from 'hast-util-to-text';
import JSZip from 'jszip';
import rehypeParse from 'rehype-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { VFile } from 'vfile';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { RunningHead } from '../src/content/load.js';
import { frontMatterSchema, type FrontMatter } from '../src/content/schema.js';
import { buildEpub, type EpubInput } from '../src/epub/index.js';
import { uuidV5 } from '../src/epub/metadata.js';
import { epubcheck, epubcheckMissing, type EpubcheckResult } from './support/epubcheck.js';
import { createArticleProcessor, transformArticle } from '../src/transform/index.js';

const SEED = join(import.meta.dirname, '..', 'content', '000_952877358d78f3b2.md');
const FIXTURE = join(import.meta.dirname, 'fixtures', 'epub', 'seed-like.md');
const processor = createArticleProcessor();
const scratch = mkdtempSync(join(tmpdir(), 'presswork-epub-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const epubcheckAbsent = await epubcheckMissing();
const skipEpubcheck = epubcheckAbsent !== undefined;
if (epubcheckAbsent) console.warn(`EPUBCheck tests skipped: ${epubcheckAbsent}`);

/** Markdown with a front matter block → the input buildEpub gets from the build. */
async function inputFrom(markdown: string, extra: Partial<EpubInput> = {}): Promise<EpubInput> {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(markdown);
  const frontMatter: FrontMatter = frontMatterSchema.parse(match ? parseYaml(match[1] ?? '') : { headline: '标题' });
  const file = new VFile({ path: 'story.md', value: markdown });
  file.data.frontMatter = frontMatter;
  const tree = await transformArticle(processor, file);
  const runningHead: RunningHead = { sampleFields: [] };
  return {
    tree,
    frontMatter,
    slug: frontMatter.slug ?? 'story',
    sectionHeads: file.data.sectionHeads ?? [],
    runningHead,
    creator: 'presswork 0.1.0',
    sourceDateEpoch: 1_700_000_000,
    ...extra,
  };
}

interface Unpacked {
  bytes: Uint8Array;
  names: string[];
  text: Map<string, string>;
}

async function unpack(bytes: Uint8Array): Promise<Unpacked> {
  const zip = await JSZip.loadAsync(bytes);
  const names = Object.keys(zip.files);
  const text = new Map<string, string>();
  for (const name of names) {
    const entry = zip.file(name);
    if (entry) text.set(name, await entry.async('string'));
  }
  return { bytes, names, text };
}

function file(book: Unpacked, name: string): string {
  const value = book.text.get(name);
  if (value === undefined) throw new Error(`${name} is not in the EPUB (it has ${book.names.join(', ')})`);
  return value;
}

/** Runs EPUBCheck on the bytes and returns its fatal errors, errors and warnings. */
async function epubcheckBytes(bytes: Uint8Array, name: string): Promise<EpubcheckResult> {
  const path = join(scratch, `${name}.epub`);
  writeFileSync(path, bytes);
  return epubcheck(path);
}

function elements(tree: Root, test: (node: Element) => boolean): Element[] {
  const found: Element[] = [];
  visit(tree, 'element', (node: Element) => {
    if (test(node)) found.push(node);
  });
  return found;
}

function parseXhtml(markup: string): Root {
  return unified().use(rehypeParse).parse(markup);
}

const seedLike = readFileSync(FIXTURE, 'utf8');

describe('buildEpub: the seed-like article', async () => {
  const input = await inputFrom(seedLike);
  const bytes = await buildEpub(input);
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

  it('dates the book from SOURCE_DATE_EPOCH and names the generator', () => {
    expect(opf).toContain('<meta property="dcterms:modified">2023-11-14T22:13:20Z</meta>');
    expect(opf).toContain('<dc:date>2023-11-14</dc:date>');
    expect(opf).toContain('<meta name="generator" content="presswork 0.1.0"/>');
  });

  it('has ASCII file names, mimetype first and stored, and nothing fetched', () => {
    expect(book.names).toEqual(['mimetype', 'META-INF/container.xml', 'OEBPS/content.opf', 'OEBPS/nav.xhtml', 'OEBPS/toc.ncx', 'OEBPS/style.css', 'OEBPS/article.xhtml']);
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
    const first = await buildEpub(input);
    vi.setSystemTime(new Date('2031-12-30T23:58:00Z'));
    const second = await buildEpub(await inputFrom(seedLike));
    vi.useRealTimers();
    const identifier = async (bytes: Uint8Array) => /<dc:identifier id="pub-id">([^<]+)</.exec(file(await unpack(bytes), 'OEBPS/content.opf'))?.[1];
    const id = await identifier(first);
    expect(id).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await identifier(second)).toBe(id);
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
    // Not a constant: other text, other identifier.
    const edited = await buildEpub(await inputFrom(seedLike.replace('卢暘表示', '卢暘说')));
    expect(await identifier(edited)).not.toBe(id);
  });

  it('dates an article without SOURCE_DATE_EPOCH by its own date, never the clock', async () => {
    const markdown = seedLike.replace('authors:', 'date: 2015-09-20\nauthors:');
    const input = await inputFrom(markdown, { sourceDateEpoch: undefined });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2031-12-30T23:58:00Z'));
    const opf = file(await unpack(await buildEpub(input)), 'OEBPS/content.opf');
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
  const bytes = await buildEpub(input);
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
  const bytes = await buildEpub(input);
  const book = await unpack(bytes);
  const chapter = file(book, 'OEBPS/article.xhtml');

  it.skipIf(skipEpubcheck)('still passes EPUBCheck with 0 errors and 0 warnings', async () => {
    const report = await epubcheckBytes(bytes, 'hazards');
    expect(report.problems).toEqual([]);
    expect([report.nFatal, report.nError, report.nWarning]).toEqual([0, 0, 0]);
  });

  it('fetches and packs no image: figures keep their captions, the inline image its name', () => {
    expect(book.names.filter((name) => !/^(mimetype|META-INF\/container\.xml|OEBPS\/(content\.opf|nav\.xhtml|toc\.ncx|style\.css|article\.xhtml))$/.test(name))).toEqual([]);
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
    const bytes = await buildEpub(await inputFrom(readFileSync(SEED, 'utf8'), { slug: '000_952877358d78f3b2' }));
    const report = await epubcheckBytes(bytes, 'seed');
    expect(report.problems).toEqual([]);
  });
});
