// The seed, built end to end by the command a user runs, then checked with the
// tools an independent reviewer would use: pdfinfo, pdffonts, pdftotext and
// EPUBCheck.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import { PDFDict, PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { epubcheck } from './support/epubcheck.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'bin', 'presswork.js');
const slug = '000_952877358d78f3b2';
const source = join(root, 'content', `${slug}.md`);

function run(command: string, args: string[], cwd = root) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return result;
}

function presswork(args: string[], cwd = root) {
  return run(process.execPath, [cli, ...args], cwd);
}

const squeeze = (text: string) => text.replace(/\s+/g, '');

/** The article's paragraphs and section heads as written in the Markdown. */
function sourceBlocks(): { paragraphs: string[]; heads: string[]; frontMatter: Record<string, unknown> } {
  const text = readFileSync(source, 'utf8');
  const [, yaml = '', body = ''] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text) ?? [];
  const blocks = body.split(/\n\s*\n/).map((block) => block.trim()).filter(Boolean);
  return {
    heads: blocks.filter((block) => block.startsWith('#')).map((block) => block.replace(/^#+\s*/, '')),
    paragraphs: blocks.filter((block) => !block.startsWith('#')),
    frontMatter: parseYaml(yaml) as Record<string, unknown>,
  };
}

let out: string;
let stdout: string;
let exitCode: number | null;
let stderr: string;

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'presswork-build-'));
  const result = presswork(['build', source, '--out', out, '--json']);
  ({ stdout, stderr } = result);
  exitCode = result.status;
});

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('presswork build of the seed', () => {
  it('exits 0 and prints one JSON document on stdout', () => {
    expect(exitCode, stderr).toBe(0);
    const document = JSON.parse(stdout) as { ok: boolean; articles: Array<{ slug: string }> };
    expect(document.ok).toBe(true);
    expect(document.articles.map((article) => article.slug)).toEqual([slug]);
    expect(stderr).toContain(`${slug}.md`);
  });

  it('says on stderr, in plain lines off a terminal, each stage the article reaches: layout, preflight, pdf, png, epub', () => {
    const steps = stderr
      .split('\n')
      .filter((line) => line.startsWith(`  content/${slug}.md: `))
      .map((line) => line.slice(`  content/${slug}.md: `.length));
    expect(steps[0]).toBe('layout, trial 1, 1 page');
    const stages = steps.map((step) => step.split(',')[0]).filter((stage, index, all) => stage !== all[index - 1]);
    expect(stages).toEqual(['layout', 'preflight', 'pdf', 'png', 'epub']);
    expect(steps).toContain('png, page 1 of 1');
    // Progress never reaches stdout, which holds only the JSON document.
    expect(stdout).not.toMatch(/layout, trial|preflight, \d/);
  });

  it('writes every format and a manifest whose sizes and hashes match the files', () => {
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    const [article] = manifest.articles;
    expect(article.source).toBe(`content/${slug}.md`);
    expect(article.slug).toBe(slug);
    expect(article.title).toBe('努力实现服务职工零距离');
    expect(Object.keys(article.outputs).sort()).toEqual(['epub', 'html', 'pdf', 'png']);
    for (const format of ['pdf', 'epub', 'html', 'png']) {
      const output = article.outputs[format];
      expect(output.path).toBe(`${slug}/${slug}.${format}`);
      const bytes = readFileSync(join(out, output.path));
      expect(output.bytes).toBe(bytes.byteLength);
      expect(output.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
    expect(article.outputs.pdf.pages).toBe(1);
    expect(article.preflight).toMatchObject({
      ok: true,
      pages: 1,
      overflow: { ok: true, count: 0 },
      kinsoku: { ok: true, count: 0 },
      orphanLines: { ok: true, count: 0 },
      missingGlyphs: { ok: true, count: 0 },
    });
    expect(article.preflight.fill).toBeGreaterThan(0.9);
    // The HTML is the page as printed, at the body size the copyfit chose, linking its files relatively.
    const htmlPath = join(out, article.outputs.html.path);
    const html = readFileSync(htmlPath, 'utf8');
    expect(html).toContain(`--body-size: ${article.preflight.bodySize}pt;`);
    const links = [...html.matchAll(/href="([^"]+)"/g)].map((match) => match[1]!);
    expect(links).toHaveLength(6);
    for (const link of links) {
      expect(link).not.toMatch(/^file:/);
      expect(existsSync(resolve(dirname(htmlPath), decodeURIComponent(link))), link).toBe(true);
    }
    // Only the five photo placeholders are worth a message, and the seed's unknown paper and date (issue 5).
    expect(article.messages.map((message: { rule: string }) => message.rule)).toEqual([...Array(5).fill('photo-missing'), 'archival-metadata']);
  });

  it('prints one tagged page of the tabloid size with Title and Author', () => {
    const info = run('pdfinfo', [join(out, slug, `${slug}.pdf`)]).stdout;
    expect(info).toMatch(/^Pages:\s+1$/m);
    expect(info).toMatch(/^Tagged:\s+yes$/m);
    expect(info).toMatch(/^Title:\s+努力实现服务职工零距离$/m);
    expect(info).toMatch(/^Author:\s+王路曼、陈曦、马超、李一然$/m);
    const [, width, height] = /^Page size:\s+([\d.]+) x ([\d.]+) pts/m.exec(info) ?? [];
    const mm = 72 / 25.4;
    expect(Math.abs(Number(width) - 270 * mm)).toBeLessThanOrEqual(1);
    expect(Math.abs(Number(height) - 390 * mm)).toBeLessThanOrEqual(1);
  });

  it('embeds every font as a TrueType/CID subset, never Type 3', () => {
    const fonts = run('pdffonts', [join(out, slug, `${slug}.pdf`)]).stdout.split('\n').slice(2).filter(Boolean);
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) {
      expect(font).not.toMatch(/Type 3/);
      expect(font).toMatch(/CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
    }
  });

  it('draws the five empty photo frames as vector strokes, not as images: no raster and no tiling pattern in the PDF', () => {
    // Their crosses were hard-stop CSS gradients, which Chromium's PDF maker turns into tiling patterns of
    // images: half the PDF's bytes and about 0.55 s of every print of the seed.
    const pdf = readFileSync(join(out, slug, `${slug}.pdf`)).toString('latin1');
    expect(pdf.match(/\/Subtype\s*\/Image\b/g) ?? []).toEqual([]);
    expect(pdf.match(/\/Type\s*\/Pattern\b/g) ?? []).toEqual([]);
    // The frames are still there: drawn and named in the text layer by their captions.
    expect(run('pdftotext', ['-raw', join(out, slug, `${slug}.pdf`), '-']).stdout.replace(/\s/g, '')).toContain('赵莹京城机电控股有限公司工会主席');
  });

  it('carries every paragraph, heading and caption of the article into the PDF text, in order', () => {
    const text = squeeze(run('pdftotext', ['-raw', '-enc', 'UTF-8', join(out, slug, `${slug}.pdf`), '-']).stdout);
    const { paragraphs, heads, frontMatter } = sourceBlocks();
    // The seed's 23 text blocks, five of them rejoined by the import.
    expect(paragraphs).toHaveLength(18);
    let from = 0;
    for (const paragraph of paragraphs) {
      const at = text.indexOf(squeeze(paragraph), from);
      expect(at, paragraph.slice(0, 20)).toBeGreaterThanOrEqual(0);
      from = at;
    }
    for (const head of heads) expect(text).toContain(squeeze(head));
    for (const photo of frontMatter.photos as Array<{ name: string; caption: string }>) {
      expect(text).toContain(photo.name);
      expect(text).toContain(photo.caption);
    }
    for (const key of ['headline', 'deck', 'byline']) expect(text).toContain(squeeze(String(frontMatter[key])));
  });

  it('has an outline of the headline and the three section heads', async () => {
    const pdf = await PDFDocument.load(readFileSync(join(out, slug, `${slug}.pdf`)), { updateMetadata: false });
    const titles: string[] = [];
    const walk = (dict: PDFDict | undefined): void => {
      for (let item = dict; item; item = item.lookupMaybe(PDFName.of('Next'), PDFDict)) {
        const title = item.lookup(PDFName.of('Title'));
        if (title instanceof PDFHexString || title instanceof PDFString) titles.push(title.decodeText());
        walk(item.lookupMaybe(PDFName.of('First'), PDFDict));
      }
    };
    const outlines = pdf.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict);
    walk(outlines?.lookupMaybe(PDFName.of('First'), PDFDict));
    expect(titles).toEqual(['努力实现服务职工零距离', ...sourceBlocks().heads]);
  });

  it('renders a PNG preview of page 1 in the page proportions', () => {
    const png = readFileSync(join(out, slug, `${slug}.png`));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    expect(width).toBeGreaterThan(1000);
    expect(height / width).toBeCloseTo(390 / 270, 2);
  });

  it('makes an EPUB that EPUBCheck passes with no errors and no warnings', async () => {
    const report = await epubcheck(join(out, slug, `${slug}.epub`));
    expect(report.problems).toEqual([]);
    expect([report.nFatal, report.nError, report.nWarning]).toEqual([0, 0, 0]);
  });

  it('writes zh-CN metadata, four creators and every paragraph into the EPUB', async () => {
    const zip = await JSZip.loadAsync(readFileSync(join(out, slug, `${slug}.epub`)));
    const names = Object.keys(zip.files);
    const opfName = names.find((name) => name.endsWith('.opf'))!;
    const opf = await zip.file(opfName)!.async('string');
    expect(opf).toMatch(/<dc:language[^>]*>zh-CN<\/dc:language>/);
    expect(opf.match(/<dc:creator\b/g)).toHaveLength(4);
    let all = '';
    for (const name of names.filter((name) => /\.(x?html|opf|ncx)$/.test(name))) {
      const content = await zip.file(name)!.async('string');
      expect(content, name).not.toMatch(/xml:lang="en"|\slang="en"/);
      all += content;
    }
    const text = squeeze(all.replace(/<[^>]+>/g, ''));
    for (const paragraph of sourceBlocks().paragraphs) expect(text).toContain(squeeze(paragraph));
  });
});

describe('presswork exit codes', () => {
  it('exits 2 on wrong usage', () => {
    expect(presswork(['frobnicate']).status).toBe(2);
    const badFormat = presswork(['build', '--format', 'docx']);
    expect(badFormat.status).toBe(2);
    expect(badFormat.stderr).toContain('pdf, epub, html, png');
    expect(presswork(['build', 'no/such/folder']).status).toBe(2);
  });

  it('refuses a malformed SOURCE_DATE_EPOCH instead of building unreproducibly', () => {
    const result = spawnSync(process.execPath, [cli, 'build', '--out', join(out, 'epoch')], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, SOURCE_DATE_EPOCH: '2026-11-29' },
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('SOURCE_DATE_EPOCH must be whole seconds since 1970 (got "2026-11-29")');
    expect(existsSync(join(out, 'epoch'))).toBe(false);
  });

  it('prints its version', () => {
    const result = presswork(['--version']);
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
  });

  it('exits 1 on bad content, names the file and line, and writes nothing for that article', () => {
    const dir = mkdtempSync(join(tmpdir(), 'presswork-bad-'));
    try {
      writeFileSync(join(dir, 'bad.md'), '---\nheadline: 标题\nauthor: [王路曼]\n---\n\n正文。\n');
      const result = presswork(['build', join(dir, 'bad.md'), '--out', join(dir, 'out'), '--format', 'epub']);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('bad.md');
      expect(result.stderr).toMatch(/3:1\s+error\s+unknown key `author`; did you mean `authors`\?/);
      expect(result.stderr).not.toMatch(/\n\s+at .*\.js:\d+/); // no stack trace
      expect(existsSync(join(dir, 'out', 'bad'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('presswork check', () => {
  it('preflights without writing, and --strict fails on a glyph no bundled font draws', () => {
    const dir = mkdtempSync(join(tmpdir(), 'presswork-check-'));
    try {
      // 𓀀 (U+13000, an Egyptian hieroglyph) is in none of the bundled fonts.
      writeFileSync(join(dir, 'glyph.md'), '---\nheadline: 标题\n---\n\n正文里有一个𓀀字。\n');
      const lenient = presswork(['check', join(dir, 'glyph.md'), '--json'], dir);
      expect(lenient.status, lenient.stderr).toBe(0);
      const [article] = JSON.parse(lenient.stdout).articles;
      expect(article.outputs).toEqual({});
      expect(article.preflight.ok).toBe(false);
      expect(article.preflight.missingGlyphs).toMatchObject({ ok: false, count: 1, items: [{ char: '𓀀', message: expect.stringContaining('U+13000') }] });
      expect(article.preflight.kinsoku.ok).toBe(true);
      expect(existsSync(join(dir, 'output'))).toBe(false);

      const strict = presswork(['check', join(dir, 'glyph.md'), '--strict'], dir);
      expect(strict.status).toBe(1);
      expect(strict.stderr).toContain('preflight failed (--strict)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
