// The EPUB as a reader sees it, in our Chromium (which has no CJK font of its
// own, like a reader with only Latin fonts): axe-core finds no accessibility
// violation in any XHTML document, and every character is drawn by a font the
// EPUB embeds — checked both against the subsets' cmaps and in the browser.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import axe from 'axe-core';
import * as fontkit from 'fontkit';
import type { Browser } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEpub, type EpubResult } from '../src/epub/index.js';
import { needsGlyph } from '../src/layout/fonts.js';
import { launchBrowser } from '../src/print/index.js';
import { entry, inputFrom, parseXhtml, unpack, type Unpacked } from './support/epub-book.js';
import { commonMarkArticle } from './support/markdown-fixtures.js';

const SEED = join(import.meta.dirname, '..', 'content', '000_952877358d78f3b2.md');
const PAGE_1 = readFileSync(join(import.meta.dirname, 'fixtures', 'epub', 'page-1.png'));
const scratch = mkdtempSync(join(tmpdir(), 'presswork-epub-reader-'));
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser(undefined, { handleSignals: false });
});
afterAll(async () => {
  await browser?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** Unzips the book into a folder of its own, as a reading system would. */
function extract(book: Unpacked, name: string): string {
  const root = join(scratch, name);
  for (const [path, text] of book.text) write(join(root, path), text);
  for (const [path, bytes] of book.binary) write(join(root, path), bytes);
  return root;
}

function write(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
}

interface AxeViolation {
  id: string;
  impact?: string;
  nodes: Array<{ target: unknown; failureSummary?: string }>;
}

async function axeViolations(path: string): Promise<string[]> {
  const page = await browser.newPage();
  try {
    await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
    await page.evaluate(axe.source);
    const violations = await page.evaluate(async () => {
      const result = await (window as unknown as { axe: { run(context: Document): Promise<{ violations: AxeViolation[] }> } }).axe.run(document);
      return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, nodes: violation.nodes.map((node) => ({ target: node.target, failureSummary: node.failureSummary })) }));
    });
    return violations.map((violation) => `${violation.id} (${violation.impact}): ${JSON.stringify(violation.nodes)}`);
  } finally {
    await page.close();
  }
}

/** Fonts Chromium drew each text-bearing element with, and whether each is one the book embeds. */
async function fontsUsed(path: string): Promise<Array<{ family: string; custom: boolean; glyphs: number }>> {
  const page = await browser.newPage();
  try {
    await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    const cdp = await page.createCDPSession();
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
    const used: Array<{ family: string; custom: boolean; glyphs: number }> = [];
    const walk = async (node: typeof root): Promise<void> => {
      if (node.nodeType === 1 && node.children?.some((child) => child.nodeType === 3 && (child.nodeValue ?? '').trim() !== '')) {
        const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId: node.nodeId });
        used.push(...fonts.map((font) => ({ family: font.familyName, custom: font.isCustomFont, glyphs: font.glyphCount })));
      }
      for (const child of node.children ?? []) await walk(child);
    };
    await walk(root);
    return used;
  } finally {
    await page.close();
  }
}

const xhtmlNames = (book: Unpacked) => book.names.filter((name) => name.endsWith('.xhtml'));

describe('the seed EPUB in a reader', async () => {
  const input = await inputFrom(readFileSync(SEED, 'utf8'), { slug: '000_952877358d78f3b2', print: { png: PAGE_1, pageStarts: [] } });
  const result: EpubResult = await buildEpub(input);
  const book = await unpack(result.bytes);
  const root = extract(book, 'seed');

  it('has 0 axe-core violations in every XHTML document', async () => {
    expect(xhtmlNames(book)).toEqual(['OEBPS/nav.xhtml', 'OEBPS/cover.xhtml', 'OEBPS/article.xhtml']);
    for (const name of xhtmlNames(book)) expect(await axeViolations(join(root, name)), name).toEqual([]);
  });

  it('embeds subsets whose cmaps draw every character the book shows, 暘 included', () => {
    const subsets = book.names.filter((name) => name.endsWith('.ttf')).map((name) => fontkit.create(Buffer.from(book.binary.get(name) ?? [])) as fontkit.Font);
    let shown = '';
    for (const name of xhtmlNames(book)) {
      const tree = parseXhtml(entry(book, name));
      const body = tree.children.find((node) => node.type === 'element');
      shown += bodyText(body);
    }
    const characters = [...new Set(shown)].filter((char) => needsGlyph(char.codePointAt(0) ?? 0));
    expect(characters.length).toBeGreaterThan(600);
    expect(characters).toContain('暘');
    const undrawn = characters.filter((char) => !subsets.some((font) => font.hasGlyphForCodePoint(char.codePointAt(0) ?? 0)));
    expect(undrawn).toEqual([]);
    // The subsets are cut to the book: no subset holds a Han character the book does not show.
    const extra = subsets.flatMap((font) => font.characterSet.filter((codePoint) => codePoint >= 0x4e00 && codePoint <= 0x9fff && !shown.includes(String.fromCodePoint(codePoint))));
    expect(extra).toEqual([]);
  });

  it('reports the font payload it packs, and every font is in the manifest and the stylesheet', () => {
    const ttf = book.names.filter((name) => name.endsWith('.ttf'));
    expect(result.fonts.files).toBe(ttf.length);
    expect(result.fonts.bytes).toBe(ttf.reduce((sum, name) => sum + (book.binary.get(name)?.byteLength ?? 0), 0));
    expect(result.fonts.bytes).toBeLessThan(600_000);
    const opf = entry(book, 'OEBPS/content.opf');
    const css = entry(book, 'OEBPS/style.css');
    for (const name of ttf) {
      const href = name.slice('OEBPS/'.length);
      expect(opf).toContain(`href="${href}" media-type="font/ttf"`);
      expect(css).toContain(`src: url("${href}") format("truetype")`);
    }
  });

  it('is drawn only with the embedded fonts in a browser that has no CJK font', async () => {
    const used = await fontsUsed(join(root, 'OEBPS/article.xhtml'));
    expect(used.length).toBeGreaterThan(20);
    expect(used.filter((font) => !font.custom)).toEqual([]);
    // Body and heads in the two Noto faces, deck and captions in Kai (the @fontsource instances keep their variable font's family names).
    const families = new Set(used.map((font) => font.family.split(' ').slice(0, 3).join(' ')));
    expect([...families].sort()).toEqual(['LXGW WenKai', 'Noto Sans SC', 'Noto Serif SC']);
  });
});

describe('a Markdown article with every CommonMark construct in a reader', async () => {
  const result = await buildEpub(await inputFrom(commonMarkArticle, { print: { png: PAGE_1, pageStarts: [] } }));
  const book = await unpack(result.bytes);
  const root = extract(book, 'commonmark');

  it('has 0 axe-core violations in every XHTML document', async () => {
    for (const name of xhtmlNames(book)) expect(await axeViolations(join(root, name)), name).toEqual([]);
  });
});

function bodyText(node: unknown): string {
  const walk = (value: { type: string; tagName?: string; value?: string; children?: unknown[] }, inBody: boolean): string => {
    if (value.type === 'text') return inBody ? (value.value ?? '') : '';
    const here = inBody || value.tagName === 'body';
    return (value.children ?? []).map((child) => walk(child as typeof value, here)).join('');
  };
  return walk(node as { type: string }, false);
}
