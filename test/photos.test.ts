// Photos from the front matter, built for real through the command line: a
// good one prints, a missing one is an empty frame with a warning, a 20,000 px
// one prints from a scaled copy, a tiny one fails the ppi check, and a file
// that is not an image or lies outside the article's folder fails its article
// (exit 1, file and line) while the other articles are built.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleFolder } from './support/articles.js';
import { elements, entry, parseXhtml, unpack } from './support/epub-book.js';
import { epubcheck, epubcheckMissing } from './support/epubcheck.js';
import { loadArticle, loadConfig } from '../src/content/load.js';
import { MAX_EPUB_PIXELS, packImages } from '../src/epub/images.js';
import { articleKey } from '../src/publish/cache.js';

const cli = fileURLToPath(new URL('../bin/presswork.js', import.meta.url));
const body = '本报讯　记者从市总工会获悉，今年全市工会系统深入开展服务职工活动。\n';
let dir: string;
let result: ReturnType<typeof spawnSync<string>>;
let manifest: { articles: Array<{ slug: string; ok: boolean; outputs: Record<string, { path: string }>; preflight?: { images: { ok: boolean; count: number; items: string[] } }; messages: Array<{ rule: string; message: string; line?: number; severity: string }> }> };

beforeAll(async () => {
  dir = articleFolder({
    'a.md': [
      '---',
      'headline: 照片测试',
      'photos:',
      '  - { name: 甲, caption: 工会主席, src: photos/good.jpg }',
      '  - { name: 乙, caption: 工会副主席, src: photos/missing.jpg }',
      '  - { name: 丙, caption: 技术员, src: photos/wide.png }',
      '  - { name: 丁, caption: 职工代表, src: photos/tiny.png }',
      '---',
      '',
      body,
      '![示意图](photos/chart.webp)',
      '',
      '![远程图](https://example.com/remote.png)',
      '',
    ].join('\n'),
    'b.md': ['---', 'headline: 不是图片', 'photos:', '  - name: 戊', '    caption: 记者', '    src: photos/notes.jpg', '---', '', body].join('\n'),
    'c.md': ['---', 'headline: 目录之外', 'photos:', '  - { name: 己, caption: 编辑, src: ../../../../../etc/hostname }', '---', '', body].join('\n'),
    // Body images with Chinese names and a space: Markdown URLs reach the HTML percent-encoded.
    'd.md': ['---', 'headline: 中文文件名', '---', '', body, '![会场全景](图片/会场%20全景.png)', '', '![签约仪式](图片/签约.png)', ''].join('\n'),
  });
  mkdirSync(join(dir, 'photos'));
  await sharp({ create: { width: 600, height: 800, channels: 3, background: '#468' } }).jpeg().toFile(join(dir, 'photos', 'good.jpg'));
  await sharp({ create: { width: 20_000, height: 2_000, channels: 3, background: '#864' } }).png().toFile(join(dir, 'photos', 'wide.png'));
  await sharp({ create: { width: 60, height: 80, channels: 3, background: '#486' } }).png().toFile(join(dir, 'photos', 'tiny.png'));
  await sharp({ create: { width: 300, height: 200, channels: 4, background: { r: 200, g: 80, b: 40, alpha: 0.5 } } }).webp().toFile(join(dir, 'photos', 'chart.webp'));
  writeFileSync(join(dir, 'photos', 'notes.jpg'), '这不是图片，是一段文字。\n');
  mkdirSync(join(dir, '图片'));
  await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#357' } }).png().toFile(join(dir, '图片', '会场 全景.png'));
  await sharp({ create: { width: 1280, height: 800, channels: 3, background: '#753' } }).png().toFile(join(dir, '图片', '签约.png'));
  result = spawnSync(process.execPath, [cli, 'build', dir, '--out', join(dir, 'output'), '--format', 'pdf,html,epub'], { cwd: dir, encoding: 'utf8' });
  manifest = JSON.parse(readFileSync(join(dir, 'output', 'manifest.json'), 'utf8'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const article = (slug: string) => manifest.articles.find((entry) => entry.slug === slug)!;

describe('photos', () => {
  it('exits 1 naming the failed articles, and builds the good one', () => {
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/2 of 4 article\(s\) failed/);
    expect(article('a').ok).toBe(true);
    expect(existsSync(join(dir, 'output', 'a', 'a.pdf'))).toBe(true);
    expect(existsSync(join(dir, 'output', 'b'))).toBe(false);
    expect(existsSync(join(dir, 'output', 'c'))).toBe(false);
  });

  it('refuses a file that is not an image, at its line, saying what to give instead', () => {
    const error = article('b').messages.find((message) => message.severity === 'error');
    expect(error?.rule).toBe('photo');
    expect(error?.line).toBe(4);
    expect(error?.message).toMatch(/^photo 1 \(戊\): `photos\/notes\.jpg` is not an image presswork can read .*; give a JPEG, PNG/);
    expect(result.stderr).toMatch(/b\.md\s*\n?\s*4:1/);
  });

  it('refuses a photo outside the article’s folder without reading it', () => {
    const error = article('c').messages.find((message) => message.severity === 'error');
    expect(error?.rule).toBe('photo');
    expect(error?.line).toBe(4);
    expect(error?.message).toMatch(/is outside the article’s folder .* copy the photo into the article’s folder/);
  });

  it('prints a missing photo as an empty frame, with a warning', () => {
    const warning = article('a').messages.find((message) => message.rule === 'photo-missing');
    expect(warning?.severity).toBe('warning');
    expect(warning?.line).toBe(5);
    expect(warning?.message).toMatch(/photo 2 \(乙\): `photos\/missing\.jpg` was not found; it is printed as an empty frame/);
    const html = readFileSync(join(dir, 'output', 'a', 'a.html'), 'utf8');
    expect(html).toMatch(/<figure class="portrait" id="photo-2"><div class="photo placeholder"/);
    // The published HTML links the original photos, not the work folder's copies.
    expect(html).toContain('src="../../photos/wide.png"');
  });

  it('prints a 20,000 px photo from a copy scaled to 4,000 px, and says so', () => {
    const info = article('a').messages.find((message) => message.rule === 'photo-scaled');
    expect(info?.message).toMatch(/photo 3 \(丙\): `photos\/wide\.png` is 20000 × 2000 px; printed from a copy scaled to 4000 × 400 px/);
    const images = spawnSync('pdfimages', ['-list', join(dir, 'output', 'a', 'a.pdf')], { encoding: 'utf8' }).stdout;
    // Chromium embeds only the part the 3:4 frame shows: 400 px high, from the copy (never 2,000 px high).
    expect(images).toMatch(/image\s+\d+\s+400\s/);
    expect(images).not.toMatch(/\b20000\b|\s2000\s/);
    expect(images).toMatch(/\b600\s+800\b/);
    expect(images).toMatch(/\b60\s+80\b/);
  });

  it('fails the images preflight check for a photo under 200 ppi at its printed size', () => {
    const check = article('a').preflight!.images;
    expect(check.ok).toBe(false);
    const tiny = check.items.map((item) => item.message).find((message) => message.startsWith('丁'));
    expect(tiny).toMatch(/^丁，职工代表: \d+ ppi at \d+ × \d+ mm \(60 × 80 px\); it prints soft — use a file of at least \d+ px wide for 200 ppi/);
    expect(Number(/: (\d+) ppi/.exec(tiny ?? '')?.[1])).toBeLessThan(200);
    expect(check.items.some((item) => item.message.startsWith('甲'))).toBe(false);
  });
});

describe('body images named in Chinese, with a space', () => {
  it('print: the PDF embeds both and the images check finds nothing to report', () => {
    expect(article('d').ok).toBe(true);
    expect(article('d').preflight!.images.items).toEqual([]);
    const images = spawnSync('pdfimages', ['-list', join(dir, 'output', 'd', 'd.pdf')], { encoding: 'utf8' }).stdout;
    expect(images).toMatch(/\b1200\s+900\b/);
    expect(images).toMatch(/\b1280\s+800\b/);
  });

  it('count in the article\'s cache key: new bytes under the same name make a new key', async () => {
    const config = loadConfig(dir);
    const keyNow = async () => articleKey('fingerprint', await loadArticle(join(dir, 'd.md'), config));
    const before = await keyNow();
    const file = join(dir, '图片', '会场 全景.png');
    const bytes = readFileSync(file);
    await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#468' } }).png().toFile(file);
    try {
      expect(await keyNow()).not.toBe(before);
    } finally {
      writeFileSync(file, bytes);
    }
    expect(await keyNow()).toBe(before);
  });
});

describe('photos in the EPUB', () => {
  const book = async () => unpack(readFileSync(join(dir, 'output', 'a', 'a.epub')));
  const packed = (name: string, book: Awaited<ReturnType<typeof unpack>>) => book.binary.get(`OEBPS/${name}`) ?? new Uint8Array();

  it('packs every photo found on disk and the body’s local image, each named in the manifest and shown in the chapter', async () => {
    const epub = await book();
    const opf = entry(epub, 'OEBPS/content.opf');
    const chapter = parseXhtml(entry(epub, 'OEBPS/article.xhtml'));
    const images = elements(chapter, (node) => node.tagName === 'img');
    // 甲, 丙, 丁 and the body's chart; 乙's file is missing and the remote image is not fetched.
    expect(images.map((image) => image.properties.alt)).toEqual(['甲，工会主席', '丙，技术员', '丁，职工代表', '示意图']);
    for (const image of images) {
      const src = String(image.properties.src);
      expect(packed(src, epub).byteLength, src).toBeGreaterThan(0);
      expect(opf).toContain(`href="${src}"`);
    }
    expect(opf).toMatch(/href="images\/image-1\.jpg" media-type="image\/jpeg"/);
    expect(opf).toContain('<meta property="schema:accessMode">visual</meta>');
    // The missing photo leaves its caption; the remote image its name.
    expect(entry(epub, 'OEBPS/article.xhtml')).toContain('工会副主席');
    expect(elements(chapter, (node) => node.properties.ariaLabel === '远程图')).toHaveLength(1);
    const record = manifest.articles.find((entry) => entry.slug === 'a')!.outputs.epub as unknown as { images: { files: number; bytes: number } };
    expect(record.images.files).toBe(4);
  });

  it('keeps a core-format photo byte for byte, and scales or converts the rest for readers', async () => {
    const epub = await book();
    const src = (alt: string) => String(elements(parseXhtml(entry(epub, 'OEBPS/article.xhtml')), (node) => node.tagName === 'img' && node.properties.alt === alt)[0]?.properties.src);
    expect(Buffer.compare(packed(src('甲，工会主席'), epub), readFileSync(join(dir, 'photos', 'good.jpg')))).toBe(0);
    const wide = await sharp(packed(src('丙，技术员'), epub)).metadata();
    expect([wide.format, wide.width, wide.height]).toEqual(['jpeg', MAX_EPUB_PIXELS, 205]);
    // WebP is not a core EPUB image type; it has transparency, so it becomes a PNG.
    const chart = await sharp(packed(src('示意图'), epub)).metadata();
    expect([chart.format, chart.width, chart.height, chart.hasAlpha]).toEqual(['png', 300, 200, true]);
  });

  it('passes EPUBCheck with the images packed', async (context) => {
    const missing = await epubcheckMissing();
    if (missing) return context.skip(missing);
    const check = await epubcheck(join(dir, 'output', 'a', 'a.epub'));
    expect(check.problems).toEqual([]);
  });

  it('packs the same bytes every time', async () => {
    const sources = [{ src: 'w', path: join(dir, 'photos', 'wide.png') }];
    const [first, second] = [await packImages(sources), await packImages(sources)];
    expect(Buffer.compare(first.images.get('w')!.bytes, second.images.get('w')!.bytes)).toBe(0);
  });
});
