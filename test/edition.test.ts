// Editions: a folder with edition.yml builds, besides each article's own
// files, one PDF of the whole edition (its pages, 报眉 and masthead, every
// article's text in order, fonts embedded), page previews and one EPUB — the
// same bytes on a second build. Built once by the CLI; bad edition.yml files
// are refused with their line and fix, and leave no edition output.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VFileMessage } from 'vfile-message';
import iconv from 'iconv-lite';
import { loadEdition } from '../src/content/edition.js';
import { loadConfig } from '../src/content/load.js';
import { restack, shiftedSplits } from '../src/layout/edition.js';
import { mergeManifests } from '../src/publish/manifest.js';
import { epubcheck, epubcheckMissing } from './support/epubcheck.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'bin', 'presswork.js');
const fixture = join(root, 'test', 'fixtures', 'edition');
const EPOCH = '1700000000';

const project = mkdtempSync(join(tmpdir(), 'presswork-edition-'));
const out = join(project, 'output');
const edition = (name: string) => join(out, 'sample', name);

interface EditionEntry {
  source: string;
  slug: string;
  title: string;
  ok: boolean;
  outputs: Record<string, { path: string; bytes: number; sha256: string; pages?: number; more?: Array<{ path: string }> }>;
  pages: Array<{ page: number; label: string; section: string; articles: Array<{ slug: string; bodySize: number; fill: number; box: { y: number; height: number } }> }>;
  articles: Array<{ slug: string; page: number }>;
  messages: Array<{ severity: string; rule: string; message: string; line?: number }>;
}

function run(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [cli, ...args], {
    cwd: project,
    encoding: 'utf8',
    env: { ...process.env, SOURCE_DATE_EPOCH: EPOCH, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const pdftotext = (page: number) => spawnSync('pdftotext', ['-raw', '-f', String(page), '-l', String(page), edition('sample.pdf'), '-'], { encoding: 'utf8' }).stdout;
const squeeze = (text: string) => text.replace(/\s/g, '');

/** The article's blocks as written (headline, deck, byline, heads, paragraphs), without Markdown marks. */
function blocks(name: string): string[] {
  const [, frontMatter = '', body = ''] = readFileSync(join(fixture, name), 'utf8').split('---\n');
  const head = ['kicker', 'headline', 'deck', 'byline'].flatMap((key) => {
    const value = new RegExp(`^${key}: (.*)$`, 'm').exec(frontMatter)?.[1];
    return value ? [value] : [];
  });
  return [...head, ...body.split('\n\n').map((block) => block.replace(/^#+ /, '')).filter((block) => block.trim() !== '')].map(squeeze);
}

let manifest: { editions?: EditionEntry[]; articles: Array<{ slug: string; ok: boolean }> };
let first: Record<string, string> = {};
let json: { ok: boolean; editions?: EditionEntry[] };
let rebuilt = '';
let unchanged = '';

afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('an edition build', () => {
  beforeAll(() => {
    mkdirSync(join(project, 'content'));
    cpSync(fixture, join(project, 'content', 'sample'), { recursive: true });
    const result = run(['build', 'content/sample', '--json', '--format', 'pdf,epub,png']);
    if (result.status !== 0) throw new Error(`edition build exited ${result.status}: ${result.stderr}`);
    json = JSON.parse(result.stdout) as typeof json;
    manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as typeof manifest;
    first = Object.fromEntries(['sample.pdf', 'sample.epub', 'sample.png', 'sample-2.png'].map((name) => [name, sha256(edition(name))]));
    // Again, in another time zone, after a comment was added to edition.yml: the articles come
    // from the cache, the edition (its key covers edition.yml's text) is made again.
    writeFileSync(join(project, 'content', 'sample', 'edition.yml'), `${readFileSync(join(fixture, 'edition.yml'), 'utf8')}# proofread\n`);
    const again = run(['build', 'content/sample', '--format', 'pdf,epub,png'], { TZ: 'Asia/Shanghai' });
    if (again.status !== 0) throw new Error(`second edition build exited ${again.status}: ${again.stderr}`);
    rebuilt = again.stderr;
    // Once more, unchanged: the edition is kept as it is.
    const third = run(['build', 'content/sample', '--format', 'pdf,epub,png']);
    if (third.status !== 0) throw new Error(`third edition build exited ${third.status}: ${third.stderr}`);
    unchanged = third.stderr;
    // Three builds with real Chromium and subsetting: minutes on a loaded 2-core machine.
  }, 900_000);

  it('writes each article\'s own files and the edition in the manifest, by page and slug', () => {
    expect(manifest.articles.map((article) => article.slug).sort()).toEqual(['lead', 'reform', 'tools']);
    expect(manifest.articles.every((article) => article.ok)).toBe(true);
    for (const slug of ['lead', 'reform', 'tools']) expect(existsSync(join(out, slug, `${slug}.pdf`))).toBe(true);
    const [entry] = manifest.editions ?? [];
    expect(entry?.ok).toBe(true);
    expect(entry?.slug).toBe('sample');
    expect(entry?.title).toBe('《首都职工报》2026年11月29日 第1234期');
    expect(entry?.articles).toEqual([
      { slug: 'lead', source: 'content/sample/lead.md', page: 1 },
      { slug: 'reform', source: 'content/sample/reform.md', page: 1 },
      { slug: 'tools', source: 'content/sample/tools.md', page: 2 },
    ]);
    expect(entry?.pages.map((page) => [page.label, page.section, page.articles.map((module) => module.slug)])).toEqual([
      ['第1版', '要闻', ['lead', 'reform']],
      ['A02版', '工会', ['tools']],
    ]);
    // Each module copyfitted into its box: body type in the preset's range, the box filled.
    for (const module of entry?.pages.flatMap((page) => page.articles) ?? []) {
      expect(module.bodySize).toBeGreaterThanOrEqual(8.5);
      expect(module.bodySize).toBeLessThanOrEqual(10.5);
      expect(module.fill).toBeGreaterThan(0.9);
    }
    expect(entry?.outputs.pdf?.pages).toBe(2);
    expect(entry?.outputs.epub?.pages).toBe(2);
    expect(entry?.outputs.epub?.fonts?.files).toBeGreaterThan(5);
    expect(entry?.outputs.pdf?.sha256).toBe(first['sample.pdf']);
    expect(entry?.outputs.png?.more?.map((more) => more.path)).toEqual(['sample/sample-2.png']);
    expect(json.ok).toBe(true);
    expect(json.editions?.[0]?.slug).toBe('sample');
  });

  it('moves the rule between page 1\'s modules, whose split is its own, until both fill their boxes with columns ending level', () => {
    const [entry] = manifest.editions ?? [];
    // At the split by length, lead.md's columns ended two lines apart (a preflight warning on edition.yml).
    expect(entry?.messages.filter((message) => message.rule === 'edition-preflight')).toEqual([]);
    const moved = entry?.messages.filter((message) => message.rule === 'edition-balance') ?? [];
    expect(moved).toHaveLength(1);
    expect(moved[0]).toMatchObject({ severity: 'info', line: 11 });
    expect(moved[0]?.message).toMatch(/^page 1: the rule between its modules moved .* `lead\.md` [\d.]+ mm deep, `reform\.md` [\d.]+ mm deep$/);
    const [lead, reform] = entry?.pages[0]?.articles ?? [];
    // Still stacked as the furniture rules them: reform.md starts one rule's gap under lead.md.
    const gap = (reform?.box.y ?? 0) - (lead?.box.y ?? 0) - (lead?.box.height ?? 0);
    expect(gap).toBeGreaterThan(5);
    expect(gap).toBeLessThan(7.5);
    for (const module of [lead, reform]) expect(module?.fill).toBeGreaterThanOrEqual(0.97);
  });

  it('gives each article the edition\'s paper, date, 版次 and section in its own 报眉', () => {
    const page = spawnSync('pdftotext', ['-raw', join(out, 'tools', 'tools.pdf'), '-'], { encoding: 'utf8' }).stdout;
    expect(squeeze(page)).toContain('A02版工会首都职工报2026年11月29日星期日');
  });

  it('prints one PDF page per edition page, each with its 报眉 or masthead: paper, date, 版次, section', () => {
    const info = spawnSync('pdfinfo', [edition('sample.pdf')], { encoding: 'utf8' }).stdout;
    expect(info).toMatch(/Pages:\s+2\n/);
    expect(info).toMatch(/Title:\s+《首都职工报》2026年11月29日 第1234期/);
    const [one, two] = [pdftotext(1), pdftotext(2)];
    // Page 1: the masthead (the paper's name set wide) with date, issue, 版次 and section; the page foot.
    expect(squeeze(one)).toContain('首都职工报2026年11月29日星期日第1234期第1版要闻');
    expect(squeeze(two)).toContain('A02版工会首都职工报2026年11月29日星期日');
    // The page foot (paper, 版次) is printed with the furniture, before the modules' text.
    expect(squeeze(two)).toContain('星期日首都职工报A02版工会组织要探索有效工作抓手');
    expect(squeeze(one)).toContain('要闻首都职工报第1版努力实现服务职工零距离');
  });

  it('carries every article\'s characters in order on its page', () => {
    const pages: Array<[number, string[]]> = [
      [1, ['lead.md', 'reform.md']],
      [2, ['tools.md']],
    ];
    for (const [page, files] of pages) {
      const text = squeeze(pdftotext(page));
      let at = 0;
      for (const block of files.flatMap(blocks)) {
        const found = text.indexOf(block, at);
        expect(found, `page ${page}: ${block.slice(0, 20)}…`).toBeGreaterThanOrEqual(at);
        at = found + block.length;
      }
    }
  });

  it('embeds every font as a TrueType subset', () => {
    const fonts = spawnSync('pdffonts', [edition('sample.pdf')], { encoding: 'utf8' }).stdout.split('\n').slice(2).filter(Boolean);
    expect(fonts.length).toBeGreaterThan(5);
    for (const line of fonts) {
      expect(line).toMatch(/CID TrueType\s+Identity-H\s+yes yes yes/);
      expect(line).not.toMatch(/Type 3/);
    }
  });

  it('gives the same bytes when made again, in another time zone, and is kept when nothing changed', () => {
    expect(rebuilt).toContain('0 built, 3 cached, 0 failed');
    // Each article alone is a short A4 page: the preflight report says so, a cached article's too.
    expect(rebuilt).toMatch(/^preflight: 3 of 3 articles with faults to fix before press$/m);
    expect(rebuilt).toMatch(/^ {2}content\/sample\/lead\.md\n {4}(columnBalance: the columns on page 1 end \d+ lines apart\n {4})?underfill: page 1 is \d+ % full: /m);
    expect(rebuilt).toMatch(/edition content\/sample\/edition\.yml: 2 page\(s\), 3 article\(s\), pdf epub png\n/);
    for (const [name, hash] of Object.entries(first)) expect(sha256(edition(name)), name).toBe(hash);
    expect(unchanged).toContain('edition content/sample/edition.yml: 2 page(s), 3 article(s), pdf epub png (cached: unchanged)');
    const latest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { editions: Array<EditionEntry & { cached?: boolean; cacheKey?: string }> };
    expect(latest.editions[0]?.cached).toBe(true);
    expect(latest.editions[0]?.cacheKey).toMatch(/^[0-9a-f]{64}$/);
    expect(latest.editions[0]?.outputs.pdf?.sha256).toBe(first['sample.pdf']);
  });
});

describe('moving the rules between modules', () => {
  it('tries the rule under, then over, each module that fills badly: a line either way, then two, then three, keeping 70 % of each module', () => {
    const splits = shiftedSplits([100, 50, 80], [1], 5);
    expect(splits.slice(0, 4)).toEqual([
      { heights: [100, 55, 75], changed: [1, 2] },
      { heights: [95, 55, 80], changed: [0, 1] },
      { heights: [100, 45, 85], changed: [1, 2] },
      { heights: [105, 45, 80], changed: [0, 1] },
    ]);
    // Nearest first, the page's depth kept, only the failing module and a neighbour changed.
    const moves = splits.map((split) => Math.abs((split.heights[1] ?? 0) - 50) / 5);
    expect(moves).toEqual([...moves].sort((a, b) => a - b));
    expect(Math.max(...moves)).toBe(3);
    for (const split of splits) {
      expect(split.heights.reduce((sum, height) => sum + height, 0)).toBeCloseTo(230, 9);
      expect(split.heights.every((height, index) => height >= 0.7 * ([100, 50, 80][index] ?? 0))).toBe(true);
    }
    // The last module has no neighbour under it; one that would shrink past 70 % is not tried.
    expect(shiftedSplits([100, 20], [1], 5).map((split) => split.heights)).toEqual([
      [95, 25],
      [105, 15],
      [90, 30],
      [85, 35],
    ]);
  });

  it('restacks the boxes down the page with the new depths', () => {
    const boxes = [
      { x: 11, y: 40, width: 188, height: 100 },
      { x: 11, y: 146, width: 188, height: 50 },
      { x: 11, y: 202, width: 188, height: 80 },
    ];
    expect(restack(boxes, [100, 55, 75])).toEqual([
      { x: 11, y: 40, width: 188, height: 100 },
      { x: 11, y: 146, width: 188, height: 55 },
      { x: 11, y: 207, width: 188, height: 75 },
    ]);
  });
});

describe('the edition EPUB', () => {
  let zip: Promise<JSZip> | undefined;
  const text = async (name: string) => {
    zip ??= JSZip.loadAsync(readFileSync(edition('sample.epub')));
    return (await (await zip).file(`OEBPS/${name}`)?.async('string')) ?? '';
  };

  it('passes EPUBCheck with 0 errors and 0 warnings', async () => {
    const missing = await epubcheckMissing();
    if (missing) throw new Error(missing);
    const result = await epubcheck(edition('sample.epub'));
    expect(result.problems).toEqual([]);
    expect(result.nError + result.nFatal + result.nWarning).toBe(0);
  }, 300_000);

  it('has one chapter per article, in edition order, after the cover', async () => {
    const opf = await text('content.opf');
    expect([...opf.matchAll(/<itemref idref="([^"]+)"/g)].map((match) => match[1])).toEqual(['cover', 'article-1', 'article-2', 'article-3']);
    const headlines = await Promise.all([1, 2, 3].map(async (n) => /<title>([^<]+)<\/title>/.exec(await text(`article-${n}.xhtml`))?.[1]));
    expect(headlines).toEqual(['努力实现服务职工零距离', '工会组织要坚持问题意识、改革创新', '工会组织要探索有效工作抓手']);
    // Every paragraph of each article reaches its chapter unchanged.
    for (const [n, name] of ['lead.md', 'reform.md', 'tools.md'].entries()) {
      const chapter = squeeze((await text(`article-${n + 1}.xhtml`)).replace(/<[^>]+>/g, ''));
      for (const block of blocks(name)) expect(chapter, `${name}: ${block.slice(0, 20)}…`).toContain(block);
    }
  });

  it('carries each article\'s photos: the file packed as it is and shown in its chapter, a photo yet to come as its captioned frame', async () => {
    const book = await (zip ??= JSZip.loadAsync(readFileSync(edition('sample.epub'))));
    const images = Object.keys(book.files).filter((name) => name.startsWith('OEBPS/images/'));
    expect(images).toEqual(['OEBPS/images/image-1.jpg']);
    const packed = await book.file('OEBPS/images/image-1.jpg')?.async('nodebuffer');
    expect(packed?.equals(readFileSync(join(fixture, 'photos', 'zhao-ying.jpg')))).toBe(true);
    expect(await text('content.opf')).toMatch(/<item id="[^"]+" href="images\/image-1\.jpg" media-type="image\/jpeg"/);
    const chapter = await text('article-3.xhtml');
    expect(chapter).toContain('<img class="photo" src="images/image-1.jpg" alt="赵莹，京城机电控股有限公司工会主席" width="300" height="400" />');
    expect(chapter).toContain('<figure class="portrait" id="photo-2"><figcaption><span class="name">肖辉利</span><span class="caption">京粮集团工会主席</span></figcaption></figure>');
    // The articles without photos have none.
    for (const n of [1, 2]) expect(await text(`article-${n}.xhtml`)).not.toContain('<figure');
  });

  it('names the edition: title, identifier from paper, date and issue, every author once, the paper and the date', async () => {
    const opf = await text('content.opf');
    expect(opf).toContain('<dc:title>《首都职工报》2026年11月29日 第1234期</dc:title>');
    expect(opf).toMatch(/<dc:identifier id="pub-id">urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}<\/dc:identifier>/);
    expect([...opf.matchAll(/<dc:creator id="[^"]+">([^<]+)</g)].map((match) => match[1])).toEqual(['王路曼', '陈曦', '李一然', '马超']);
    expect(opf).toContain('<dc:publisher>首都职工报</dc:publisher>');
    expect(opf).toContain('<dc:date>2026-11-29</dc:date>');
    expect(opf).toContain('<meta property="dcterms:modified">2023-11-14T22:13:20Z</meta>');
  });

  it('has a toc grouped by page and section, a page-list with one entry per edition page, and landmarks', async () => {
    const nav = await text('nav.xhtml');
    const toc = nav.slice(nav.indexOf('epub:type="toc"'), nav.indexOf('</nav>'));
    const labels = [...toc.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((match) => `${match[1]} ${match[2]}`);
    expect(labels).toEqual([
      'article-1.xhtml 第1版 要闻',
      'article-1.xhtml 努力实现服务职工零距离',
      'article-1.xhtml#section-1 工会组织要始终走在时代前列',
      'article-2.xhtml 工会组织要坚持问题意识、改革创新',
      'article-3.xhtml A02版 工会',
      'article-3.xhtml 工会组织要探索有效工作抓手',
      'article-3.xhtml#section-1 工会组织要坚持问题意识、改革创新',
    ]);
    // Headlines nest under their page.
    expect(toc).toMatch(/第1版 要闻<\/a>\s*<ol>\s*<li><a href="article-1\.xhtml">努力实现/);
    const pageList = nav.slice(nav.indexOf('epub:type="page-list"'));
    expect([...pageList.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((match) => `${match[1]} ${match[2]}`)).toEqual(['article-1.xhtml#page-1 1', 'article-3.xhtml#page-2 A02']);
    expect(await text('article-3.xhtml')).toContain('id="page-2" title="A02"');
    expect(await text('article-2.xhtml')).not.toContain('epub:type="pagebreak"');
    expect(nav).toContain('<a epub:type="bodymatter" href="article-1.xhtml">');
    expect(nav).toContain('<a epub:type="cover" href="cover.xhtml">');
  });
});

describe('an edition.yml and a config saved in GBK', () => {
  it('are read as the articles are, their Chinese intact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'presswork-gbk-'));
    try {
      writeFileSync(join(dir, 'edition.yml'), iconv.encode('paper: 首都职工报\ndate: 2026-11-29\nissue: 7\npages:\n  - section: 要闻\n    articles: [a.md]\n', 'gbk'));
      writeFileSync(join(dir, 'a.md'), '---\nheadline: 甲\n---\n\n正文。\n');
      writeFileSync(join(dir, 'presswork.config.yml'), iconv.encode('paper: 北京工人报\nsample: false\n', 'gbk'));
      const edition = await loadEdition(join(dir, 'edition.yml'));
      expect([edition.paper, edition.pages[0]?.section]).toEqual(['首都职工报', '要闻']);
      expect(loadConfig(dir).paper).toBe('北京工人报');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a bad edition.yml', () => {
  const failure = async (yaml: string, files: Record<string, string> = {}): Promise<VFileMessage> => {
    const dir = mkdtempSync(join(tmpdir(), 'presswork-bad-edition-'));
    try {
      writeFileSync(join(dir, 'edition.yml'), yaml);
      for (const [name, text] of Object.entries({ 'a.md': '---\nheadline: 甲\n---\n\n正文。\n', ...files })) writeFileSync(join(dir, name), text);
      await loadEdition(join(dir, 'edition.yml'));
    } catch (error) {
      if (error instanceof VFileMessage) return error;
      throw error;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    throw new Error('expected the edition to be refused');
  };
  const head = 'paper: 首都职工报\ndate: 2026-11-29\nissue: 7\n';

  it('names an unknown key\'s line and suggests the near name, inside a page too', async () => {
    const top = await failure(`${head}issues: 8\npages:\n  - section: 要闻\n    articles: [a.md]\n`);
    expect(top.line).toBe(4);
    expect(top.reason).toContain('unknown key `issues`');
    expect(top.reason).toContain('did you mean `issue`?');
    const inPage = await failure(`${head}pages:\n  - section: 要闻\n    artcles: [a.md]\n`);
    expect(inPage.line).toBe(6);
    expect(inPage.reason).toContain('did you mean `articles`?');
    const inArticle = await failure(`${head}pages:\n  - section: 要闻\n    articles:\n      - file: a.md\n        shares: 2\n`);
    expect(inArticle.line).toBe(8);
    expect(inArticle.reason).toContain('did you mean `share`?');
  });

  it('names the line of a missing article file, of an article listed twice, and of a page with no article', async () => {
    const missing = await failure(`${head}pages:\n  - section: 要闻\n    articles:\n      - a.md\n      - gone.md\n`);
    expect(missing.line).toBe(8);
    expect(missing.reason).toMatch(/`gone\.md` \(page 1\) does not exist/);
    expect(missing.reason).toContain('relative to edition.yml');
    const twice = await failure(`${head}pages:\n  - section: 要闻\n    articles: [a.md]\n  - section: 国际\n    articles:\n      - a.md\n`);
    expect(twice.line).toBe(9);
    expect(twice.reason).toContain('listed twice: on page 1 (line 6) and on page 2');
    expect(twice.reason).toContain('remove one of the two lines');
    const empty = await failure(`${head}pages:\n  - section: 要闻\n    articles: []\n`);
    expect(empty.line).toBe(6);
    expect(empty.reason).toContain('`pages.0.articles` must list at least one article');
    expect(empty.reason).toContain('articles:');
  });

  // One build for the refusals that reach the browser: the articles come from the sample's cache
  // (each edition gives them the 报眉 the sample gave them), so only the editions are made.
  let refused: ReturnType<typeof run> | undefined;
  const refusals = () => {
    if (refused) return refused;
    const sample = (article: string, section: string, page = '') =>
      `paper: 首都职工报\ndate: 2026-11-29\nissue: 1234\n%LAYOUT%pages:\n  - section: ${section}\n${page}    articles:\n      - ${article}\n`;
    const write = (folder: string, yaml: string) => {
      mkdirSync(join(project, 'content', folder), { recursive: true });
      writeFileSync(join(project, 'content', folder, 'edition.yml'), yaml);
    };
    write('dup1/x', sample('../../sample/lead.md', '要闻').replace('%LAYOUT%', ''));
    write('dup2/x', sample('../../sample/lead.md', '要闻').replace('%LAYOUT%', ''));
    // A page far too small for the article: 1,500 characters on 120 × 160 mm.
    write('overfull', sample('../sample/tools.md', '工会', '    page: A02\n').replace('%LAYOUT%', 'layout:\n  width: 120\n  height: 160\n'));
    refused = run(['build', 'content/dup1', 'content/dup2', 'content/overfull', '--format', 'pdf,epub,png']);
    return refused;
  };

  it('refuses two editions that would write one folder, naming both', () => {
    const result = refusals();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('0 built, 2 cached, 0 failed');
    expect(result.stderr).toContain('the edition slug "x" is used by content/dup1/x/edition.yml and content/dup2/x/edition.yml');
    expect(result.stderr).toContain('3 edition(s) failed');
    expect(existsSync(join(out, 'x'))).toBe(false);
  }, 600_000);

  it('refuses an article that does not fit its module even at the smallest type, naming its line and what to do', () => {
    const result = refusals();
    expect(result.stderr).toMatch(/11:1\s+error\s+`\.\.\/sample\/tools\.md` does not fit its module on page 1 \(\d+ × \d+ mm\) even at 8\.5 pt; give it more room/);
    expect(result.stderr).toContain('put fewer articles on page 1, or move it to a page of its own');
    expect(existsSync(join(out, 'overfull'))).toBe(false);
  });

  it('fails the build with exit 1, the line and the fix, and writes no edition output', () => {
    mkdirSync(join(project, 'content', 'broken'));
    writeFileSync(join(project, 'content', 'broken', 'edition.yml'), `${head}pages:\n  - section: 要闻\n    articles: [../sample/lead.md, ../sample/missing.md]\n`);
    const result = run(['build', 'content/broken']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('content/broken/edition.yml');
    expect(result.stderr).toMatch(/6:1\s+error\s+article file `\.\.\/sample\/missing\.md` \(page 1\) does not exist/);
    expect(result.stderr).toContain('1 edition(s) failed: content/broken/edition.yml');
    expect(existsSync(join(out, 'broken'))).toBe(false);
  }, 300_000);
});

describe('merged manifests', () => {
  it('carry each shard\'s editions, with their paths (and the page previews\') made relative to the merged manifest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'presswork-merge-editions-'));
    try {
      const output = (path: string, more?: string[]) => ({ path, bytes: 1, sha256: '0'.repeat(64), ...(more ? { more: more.map((file) => ({ path: file, bytes: 1, sha256: '0'.repeat(64) })) } : {}) });
      const entry = (source: string, slug: string) => ({
        source,
        slug,
        ok: true,
        outputs: { pdf: output(`${slug}/${slug}.pdf`), png: output(`${slug}/${slug}.png`, [`${slug}/${slug}-2.png`]) },
        pages: [],
        articles: [],
        messages: [],
      });
      mkdirSync(join(dir, 'one'));
      mkdirSync(join(dir, 'two'));
      writeFileSync(join(dir, 'one', 'manifest.json'), JSON.stringify({ version: 1, generator: 'test', articles: [], editions: [entry('b/edition.yml', 'b')] }));
      writeFileSync(join(dir, 'two', 'manifest.json'), JSON.stringify({ version: 1, generator: 'test', articles: [], editions: [entry('a/edition.yml', 'a')] }));
      const merged = await mergeManifests([join(dir, 'one', 'manifest.json'), join(dir, 'two', 'manifest.json')], join(dir, 'manifest.json'));
      expect(merged.editions?.map((edition) => [edition.source, edition.outputs.pdf?.path, edition.outputs.png?.more])).toEqual([
        ['a/edition.yml', 'two/a/a.pdf', [{ path: 'two/a/a-2.png', bytes: 1, sha256: '0'.repeat(64) }]],
        ['b/edition.yml', 'one/b/b.pdf', [{ path: 'one/b/b-2.png', bytes: 1, sha256: '0'.repeat(64) }]],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
