// The newspaper page in real Chromium with the bundled fonts: copyfit, continuation
// pages and jump lines, and a fixture that makes each preflight check fail beside
// the seed, which passes them all.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Element, Root } from 'hast';
import { toText } from 'hast-util-to-text';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArticle, loadConfig } from '../src/content/load.js';
import type { LayoutOptions } from '../src/content/schema.js';
import { loadTemplate, renderPage, TEMPLATES_DIR } from '../src/layout/index.js';
import { BrowserSession, openPrintPage, preflight, printPage, type Preflight, type PrintOptions, type PrintResult, type PrintProgress } from '../src/print/index.js';
import { createArticleProcessor, transformArticle } from '../src/transform/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const seed = join(root, 'content', '000_952877358d78f3b2.md');
const processor = createArticleProcessor();
let browser: BrowserSession;
let scratch: string;

beforeAll(async () => {
  browser = new BrowserSession();
  scratch = mkdtempSync(join(tmpdir(), 'presswork-page-'));
});
afterAll(async () => {
  await browser?.close();
  rmSync(scratch, { recursive: true, force: true });
});

interface Laid {
  printed: PrintResult;
  checks: Preflight;
  tree: Root;
  /** What the print said as it went. */
  steps: PrintProgress[];
}

async function layOut(path: string, layout: LayoutOptions = {}, templateRoot?: string): Promise<Laid> {
  const article = await loadArticle(path, loadConfig(root));
  article.layout = { ...article.layout, ...layout };
  const tree = await transformArticle(processor, article.file);
  const template = loadTemplate('newspaper', templateRoot);
  const doc = renderPage(article, tree, template);
  const workDir = mkdtempSync(join(scratch, 'work-'));
  const steps: PrintProgress[] = [];
  const printed = await printPage(browser, doc, {
    onProgress: (progress) => steps.push(progress),
    workDir,
    allowedRoots: [template.dir, join(path, '..'), ...template.fonts.map((font) => join(font.cssPath, '..'))],
    metadata: { title: 't', authors: [], keywords: [], lang: 'zh-CN', creator: 'presswork test' },
    fit: { bodySize: doc.geometry.bodySize, leading: doc.geometry.leading, folio: doc.folio, maxPages: 50 },
    render: false,
  });
  return { printed, checks: preflight({ ...printed, fonts: template.fonts }), tree, steps };
}

function article(path: string, body: string, frontMatter = 'headline: 测试标题'): string {
  const file = join(scratch, path);
  writeFileSync(file, `---\n${frontMatter}\n---\n\n${body}\n`);
  return file;
}

const squeeze = (text: string) => text.replace(/\s+/g, '');

function bodyText(tree: Root): string {
  let body: Element | undefined;
  const visit = (node: Root | Element) => {
    for (const child of node.children) {
      if (child.type !== 'element') continue;
      if (Array.isArray(child.properties.className) && child.properties.className.includes('article-body')) body = child;
      else visit(child);
    }
  };
  visit(tree);
  return body ? toText(body) : '';
}

describe('the seed on its tabloid page', () => {
  it('fits one page, full to within 3 %, columns within one line, and passes every check', async () => {
    const { checks, printed } = await layOut(seed);
    expect(checks.pages).toBe(1);
    expect(checks.fill).toBeGreaterThanOrEqual(0.97);
    expect(checks.perPage[0]!.columnBalance).toBeLessThanOrEqual(1);
    for (const name of ['overflow', 'kinsoku', 'orphanLines', 'missingGlyphs', 'underfill', 'columnBalance', 'systemFonts'] as const) {
      expect(checks[name], name).toEqual({ ok: true, count: 0, items: [] });
    }
    expect(checks.ok).toBe(true);
    expect(checks.bodySize).toBeGreaterThanOrEqual(8.5);
    expect(checks.bodySize).toBeLessThanOrEqual(10.5);
    expect(printed.fit.pageStarts).toEqual([]);
  });
});

describe('the seed on a4: continuation pages', () => {
  let laid: Laid;
  beforeAll(async () => {
    laid = await layOut(seed, { preset: 'a4' });
  });

  it('runs over more than one page with a clean preflight on every page', () => {
    expect(laid.checks.pages).toBeGreaterThan(1);
    expect(laid.checks.ok, JSON.stringify(laid.checks.perPage)).toBe(true);
    for (const page of laid.checks.perPage) {
      expect(page.fill).toBeGreaterThanOrEqual(0.97);
      expect(page.columnBalance).toBeLessThanOrEqual(1);
      expect(page.lines).toBeGreaterThan(0);
    }
  });

  it('renders only what it is asked for: the PDF and every preview, or page 1 alone (the EPUB cover) and no PDF', async () => {
    const seedArticle = await loadArticle(seed, loadConfig(root));
    seedArticle.layout = { ...seedArticle.layout, preset: 'a4' };
    const template = loadTemplate('newspaper');
    const doc = renderPage(seedArticle, await transformArticle(processor, seedArticle.file), template);
    const print = (outputs?: PrintOptions['outputs']) =>
      printPage(browser, doc, {
        workDir: mkdtempSync(join(scratch, 'work-')),
        allowedRoots: [template.dir, join(seed, '..'), ...template.fonts.map((font) => join(font.cssPath, '..'))],
        metadata: { title: 't', authors: [], keywords: [], lang: 'zh-CN', creator: 'presswork test' },
        fit: { bodySize: doc.geometry.bodySize, leading: doc.geometry.leading, folio: doc.folio, maxPages: 50 },
        previewScale: 0.5,
        ...(outputs ? { outputs } : {}),
      });
    const everything = await print();
    const pages = everything.fit.pages.length;
    expect(pages).toBeGreaterThan(1);
    expect(new TextDecoder().decode(everything.pdf.slice(0, 5))).toBe('%PDF-');
    expect(everything.pngs).toHaveLength(pages);
    const cover = await print({ pdf: false, previews: 'first' });
    expect(cover.pdf.byteLength).toBe(0);
    expect(cover.pngs).toHaveLength(1);
    // The same page 1, whichever way it was asked for.
    expect(Buffer.from(cover.png).equals(Buffer.from(everything.png))).toBe(true);
    const none = await print({ pdf: true, previews: 'none' });
    expect(none.pngs).toHaveLength(0);
    expect(none.pdf.byteLength).toBeGreaterThan(0);
  });

  it('says where it has got to: each copyfit trial in turn, the pages each has laid out so far, then the preflight', () => {
    const layouts = laid.steps.filter((step) => step.stage === 'layout');
    const trials = [...new Set(layouts.map((step) => step.trial))];
    expect(trials).toEqual(Array.from({ length: laid.printed.fit.iterations }, (_, index) => index + 1));
    // Within a trial the page count only grows, and the page calls in as it adds each continuation page.
    for (const trial of trials) {
      const pages = layouts.filter((step) => step.trial === trial).map((step) => step.pages);
      expect(pages).toEqual([...pages].sort((a, b) => a - b));
    }
    expect(Math.max(...layouts.map((step) => step.pages))).toBeGreaterThanOrEqual(laid.checks.pages - 1);
    expect(laid.steps.at(-1)).toEqual({ stage: 'preflight', pages: laid.checks.pages });
  });

  it('sends the reader on with 下转 and takes them up with 上接, under each page’s own 版次', () => {
    const html = laid.printed.laidOut;
    const pages = html.split('<div class="page').slice(1);
    expect(pages).toHaveLength(laid.checks.pages);
    pages.forEach((page, index) => {
      const number = 3 + index; // the sample config's 第3版
      expect(page).toContain(`<span class="page-no">第${number}版</span>`);
      if (index < pages.length - 1) expect(page).toContain(`（下转第${number + 1}版）`);
      if (index > 0) expect(page).toContain(`（上接第${number - 1}版）`);
    });
  });

  it('keeps every character of the body, in order, across the page breaks', () => {
    const printedText = laid.printed.lines.map((line) => line.text).join('');
    expect(squeeze(printedText)).toBe(squeeze(bodyText(laid.tree)));
  });

  it('names where each continuation page starts, as a block id and an offset into its text', () => {
    const starts = laid.printed.fit.pageStarts;
    expect(starts.map((start) => start.page)).toEqual(laid.checks.perPage.slice(1).map((page) => page.page));
    for (const start of starts) {
      const firstLine = laid.printed.lines.find((line) => line.page === start.page)!;
      expect(firstLine.blockId).toBe(start.blockId);
      // The block's text before the offset is exactly what the earlier pages printed of it.
      const before = laid.printed.lines.filter((line) => line.blockId === start.blockId && line.page < start.page).map((line) => line.text).join('');
      expect(squeeze(before).length).toBeLessThanOrEqual(start.offset);
      if (start.offset > 0) expect(laid.printed.laidOut).toContain(`data-block="${start.blockId}"`);
    }
  });
});

describe('a 转版 at a fixed size and leading', () => {
  // Nothing for the copyfit to choose: only the continuation module's width can end its columns level.
  // With the seed's paragraphs over and over, each of these ends its second page a few lines uneven at the
  // full four columns of a4 (each count was measured so), and level in fewer.
  const paragraphs = readFileSync(seed, 'utf8').split('---\n')[2]!.split(/\n\s*\n/).map((block) => block.trim()).filter((block) => block.length > 40 && !block.startsWith('#'));
  const counts = [16, 19, 21];
  let laid: Laid[] = [];
  beforeAll(async () => {
    laid = [];
    for (const count of counts) {
      const body = Array.from({ length: count }, (_, index) => paragraphs[index % paragraphs.length]).join('\n\n');
      laid.push(await layOut(article(`fixed-${count}.md`, body), { preset: 'a4', bodySize: 9, leading: 1.6 }));
    }
  });

  it('takes as many of the grid\'s columns as end level, above the foot, and keeps every character', () => {
    const narrowed: number[] = [];
    for (const [index, { printed, checks, tree }] of laid.entries()) {
      const pages = printed.fit.pages;
      const [first, last] = [pages[0]!, pages.at(-1)!];
      expect(pages.length, `${counts[index]} paragraphs`).toBe(2);
      expect(printed.fit.bodySize).toBe(9);
      expect(last.columnBalance, `${counts[index]} paragraphs`).toBeLessThanOrEqual(1);
      expect(checks.columnBalance.ok && checks.overflow.ok).toBe(true);
      expect(last.bodyRect.y + last.bodyRect.height).toBeLessThanOrEqual(first.bodyRect.y + first.bodyRect.height);
      if (last.bodyRect.width < first.bodyRect.width - 1) narrowed.push(Math.round((last.bodyRect.width / first.bodyRect.width) * 4));
      expect(squeeze(printed.lines.map((line) => line.text).join(''))).toBe(squeeze(bodyText(tree)));
    }
    // Two or three of a4's four columns: a module the page's other stories can sit beside.
    expect(narrowed.length).toBeGreaterThan(0);
    for (const columns of narrowed) expect([2, 3]).toContain(columns);
  });
});

describe('a page that printed another article first', () => {
  // A pooled page rewrites its document for the next article instead of navigating (openPrintPage).
  // What it prints must not know it: the same bytes as a page that printed nothing before.
  async function docOf(path: string, layout: LayoutOptions) {
    const loaded = await loadArticle(path, loadConfig(root));
    loaded.layout = { ...loaded.layout, ...layout };
    const template = loadTemplate('newspaper');
    return { path, template, doc: renderPage(loaded, await transformArticle(processor, loaded.file), template) };
  }
  const print = async (session: BrowserSession, { path, template, doc }: Awaited<ReturnType<typeof docOf>>) => {
    const printed = await printPage(session, doc, {
      workDir: mkdtempSync(join(scratch, 'work-')),
      allowedRoots: [template.dir, join(path, '..'), ...template.fonts.map((font) => join(font.cssPath, '..'))],
      metadata: { title: 't', authors: [], keywords: [], lang: 'zh-CN', creator: 'presswork test', sourceDateEpoch: 0 },
      fit: { bodySize: doc.geometry.bodySize, leading: doc.geometry.leading, folio: doc.folio, maxPages: 50 },
      previewScale: 0.5,
    });
    return { pdf: Buffer.from(printed.pdf), pngs: printed.pngs.map((png) => Buffer.from(png)), fit: printed.fit, lines: printed.lines, laidOut: printed.laidOut, images: printed.images };
  };

  it('prints the next article byte for byte as a fresh page does: PDF, previews, layout', async () => {
    await sharp({ create: { width: 400, height: 300, channels: 3, background: '#468' } }).png().toFile(join(scratch, 'shot.png'));
    // Another page size, a photo and a footnote (a #fragment link in the PDF) after the seed on a4.
    const first = await docOf(seed, { preset: 'a4' });
    const next = await docOf(article('next.md', `${'职工之家建设要实，服务职工要细。'.repeat(40)}[^1]\n\n![车间](shot.png)\n\n${'工会干部深入一线。'.repeat(60)}\n\n[^1]: 见工会年报。`), {});
    const reused = new BrowserSession();
    const fresh = new BrowserSession();
    try {
      const before = await print(reused, first);
      const after = await print(reused, next);
      const alone = await print(fresh, next);
      expect(before.fit.pages.length).toBeGreaterThan(1);
      expect(after.images.map((image) => image.loaded)).toEqual([true]);
      expect(after.pdf.equals(alone.pdf)).toBe(true);
      expect(after.pngs).toHaveLength(alone.pngs.length);
      after.pngs.forEach((png, index) => expect(png.equals(alone.pngs[index]!)).toBe(true));
      expect(after.fit).toEqual(alone.fit);
      expect(after.lines).toEqual(alone.lines);
      expect(after.laidOut).toBe(alone.laidOut);
      expect(after.images).toEqual(alone.images);
      // And the first article's page was not the same as the next: the comparison could have failed.
      expect(before.pdf.equals(after.pdf)).toBe(false);
    } finally {
      await Promise.all([reused.close(), fresh.close()]);
    }
  });

  it('rewrites the document in place: no navigation, the new title and body, fonts already in', async () => {
    const session = new BrowserSession();
    const template = loadTemplate('newspaper');
    const roots = [scratch, template.dir, ...template.fonts.map((font) => join(font.cssPath, '..'))];
    const html = (title: string) => `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${title}</title>${template.fonts.map((font) => `<link rel="stylesheet" href="${pathToFileURL(font.cssPath).href}">`).join('')}<style>body { font-family: "${template.fonts[0]!.family}"; }</style></head><body><p data-doc="${title}">职工之家。</p></body></html>`;
    try {
      await session.withPage(async (page) => {
        const fonts: string[] = [];
        page.on('request', (request) => {
          if (request.resourceType() === 'font') fonts.push(request.url());
        });
        const viewport = { width: 800, height: 600, deviceScaleFactor: 1 };
        const a = join(scratch, 'a.html');
        writeFileSync(a, html('甲'));
        await (await openPrintPage(page, { path: a, html: html('甲') }, { roots, viewport })).release();
        const loadedFirst = fonts.length;
        expect(loadedFirst).toBeGreaterThan(0);
        const b = join(scratch, 'b.html');
        writeFileSync(b, html('乙'));
        await (await openPrintPage(page, { path: b, html: html('乙') }, { roots, viewport })).release();
        expect(page.url()).toBe(pathToFileURL(a).href);
        expect(await page.evaluate(() => [document.title, document.querySelector('p')?.dataset.doc, document.querySelectorAll('p').length])).toEqual(['乙', '乙', 1]);
        // The same characters: their font chunks were not asked for again.
        expect(fonts.length).toBe(loadedFirst);
        expect(await page.evaluate(() => [...document.fonts].some((face) => face.status === 'loaded'))).toBe(true);
      });
    } finally {
      await session.close();
    }
  });
});

describe('the seed on broadsheet', () => {
  it('is a module across the grid, as deep as it needs, with a clean preflight', async () => {
    const { checks } = await layOut(seed, { preset: 'broadsheet' });
    expect(checks.pages).toBe(1);
    expect(checks.ok, JSON.stringify(checks)).toBe(true);
  });
});

describe('the long article (psql(1) from manpages-zh)', () => {
  it('runs over several tabloid pages, Han and Latin mixed, with a clean preflight on every page', async () => {
    const { checks, printed, tree } = await layOut(join(root, 'content', 'manpages-zh-psql.md'));
    expect(checks.pages).toBeGreaterThanOrEqual(3);
    expect(checks.ok, JSON.stringify({ ...checks, perPage: undefined }).slice(0, 2000)).toBe(true);
    expect(checks.perPage.every((page) => page.fill >= 0.97 && page.columnBalance <= 1)).toBe(true);
    expect(printed.fit.pageStarts).toHaveLength(checks.pages - 1);
    expect(squeeze(printed.lines.map((line) => line.text).join(''))).toBe(squeeze(bodyText(tree)));
  });
});

describe('each check fails on a fixture made to fail it', () => {
  it('underfill: a two-sentence article cannot fill a tabloid page', async () => {
    const { checks } = await layOut(article('short.md', '工会工作要服务职工。职工满意是标准。'));
    expect(checks.underfill.ok).toBe(false);
    expect(checks.underfill.items[0]).toMatchObject({ page: 1, message: expect.stringContaining('% full') });
    expect(checks.ok).toBe(false);
  });

  it('overflow: a photo taller than the page cannot be placed, split or moved', async () => {
    await sharp({ create: { width: 200, height: 6000, channels: 3, background: '#777' } }).png().toFile(join(scratch, 'tall.png'));
    const { checks } = await layOut(article('tall.md', '第一段。\n\n![竖长图](tall.png)\n\n第二段。'));
    expect(checks.overflow.ok).toBe(false);
    expect(checks.overflow.items[0]!.page).toBeGreaterThanOrEqual(1);
  });

  it('columnBalance: one tall photo in a short article leaves the other columns short', async () => {
    await sharp({ create: { width: 300, height: 1200, channels: 3, background: '#777' } }).png().toFile(join(scratch, 'column.png'));
    const { checks } = await layOut(article('column.md', `![一栏高的图](column.png)\n\n${'职工之家建设要实。'.repeat(30)}`));
    expect(checks.columnBalance.ok).toBe(false);
    expect(checks.columnBalance.items[0]!.message).toMatch(/lines apart/);
  });

  it('kinsoku and orphanLines: a template that breaks lines anywhere and wraps greedily fails both', async () => {
    const loose = join(scratch, 'templates');
    cpSync(join(TEMPLATES_DIR, 'newspaper'), join(loose, 'newspaper'), { recursive: true });
    appendFileSync(join(loose, 'newspaper', 'page.css'), '\nbody { line-break: anywhere; }\n.article-body p { text-wrap: wrap; }\n.keep-together { white-space: normal; }\n');
    const { checks } = await layOut(seed, {}, loose);
    expect(checks.kinsoku.ok).toBe(false);
    expect(checks.kinsoku.items[0]).toMatchObject({ page: 1, text: expect.any(String), rect: expect.objectContaining({ width: expect.any(Number) }) });
    expect(checks.kinsoku.items[0]!.message).toMatch(/^line (starts|ends) with/);
    expect(checks.orphanLines.ok).toBe(false);
  });

  it('missingGlyphs: a character no bundled font draws', async () => {
    const { checks } = await layOut(article('glyph.md', '正文里有一个𓀀字。'));
    expect(checks.missingGlyphs.items.map((item) => item.char)).toEqual(['𓀀']);
    expect(readFileSync(join(scratch, 'glyph.md'), 'utf8')).toContain('𓀀');
  });
});
