// Print: load the page HTML in Chromium from disk, fit the body to its page,
// measure it, print the PDF, render the page-1 preview.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { Page, Viewport } from 'puppeteer';
import type { PageDocument } from '../layout/index.js';
import { PX_PER_MM } from '../layout/units.js';
import type { BrowserSession } from './browser-session.js';
import { fitBody, type FitBounds, type FitResult } from './copyfit.js';
import { hideBrokenImages, measureImages, type PrintedImage } from './images.js';
import { installPageScript, PAGE_PROGRESS, type PrintedLine } from './page-script.js';
import { guardRequests, type BlockedRequest, type RemoteImages } from './request-guard.js';
import type { PdfMetadata } from './pdf-metadata.js';
import type { Fault } from './preflight.js';

export { findBrowser, launchBrowser, BrowserNotFoundError, PROTOCOL_TIMEOUT_MS } from './browser.js';
export { BrowserSession, BrowserCrashError, PageTimeoutError, type PageRun, type WithPageOptions } from './browser-session.js';
export type { FitBounds, FitResult } from './copyfit.js';
export type { PdfMetadata } from './pdf-metadata.js';
export { CHECK_NAMES, preflight, type Check, type CheckName, type Fault, type Preflight } from './preflight.js';
export type { FolioNumbering, PageStart, PrintedLine } from './page-script.js';
export { MIN_PPI, type PrintedImage } from './images.js';
export { DEFAULT_REMOTE_IMAGES, type BlockedRequest, type RemoteImages } from './request-guard.js';

export interface PrintOptions {
  /** Folder the page HTML is written to and loaded from. */
  workDir: string;
  /** Folders (besides workDir) the page may read from: templates, fonts, content. */
  allowedRoots: string[];
  metadata: PdfMetadata;
  /** What the copyfit may change, and how continuation pages are numbered. */
  fit: FitBounds;
  /** Pixels per CSS px of the PNG preview. */
  previewScale?: number;
  /** false: lay out and measure only (`presswork check`). */
  render?: boolean;
  /** What a render makes, besides the measures: the PDF (default yes) and which previews (default all pages; the EPUB's cover needs only page 1). */
  outputs?: { pdf: boolean; previews: 'all' | 'first' | 'none' };
  /** Time limit for laying out and printing the page, in ms. */
  timeoutMs?: number;
  /** Fetch remote images within these limits (`--allow-remote`); absent: block them. */
  remoteImages?: RemoteImages;
  /** The browser crashed while this page was open; it is printed once more on a new browser. */
  onRetry?: (error: Error) => void;
  /** Called as each step of the print ends, with its wall time in ms (`npm run bench` reads where the time goes). */
  onStep?: (step: PrintStep, ms: number) => void;
  /**
   * Called once the copyfit has chosen the settings and the page is measured, before the PDF and the
   * previews: work that needs only the pages (the EPUB) can start while the browser prints.
   */
  onFitted?: (fit: FitResult) => void;
  /** Called with each preview as it is taken (page 1 first): the EPUB's cover need not wait for the PDF. */
  onPreview?: (page: number, png: Uint8Array) => void;
  /** Where the print has got to, as it goes: a long article takes minutes, and this says it is moving. */
  onProgress?: (progress: PrintProgress) => void;
}

/** Progress of one article's print: copyfit trial N with the pages laid out so far, the preflight's measuring, the PDF, each preview. */
export type PrintProgress =
  | { stage: 'layout'; trial: number; pages: number }
  | { stage: 'preflight'; pages: number }
  | { stage: 'pdf'; pages: number }
  | { stage: 'png'; page: number; pages: number };

/**
 * The print's steps: open the page, copyfit, read the lines/text/images, ask which fonts drew it, then the
 * previews and the PDF, made side by side: `png` ends when the previews are taken, `pdf` when the PDF is done after them.
 */
export type PrintStep = 'open' | 'copyfit' | 'measure' | 'systemFonts' | 'pdf' | 'png';

export interface PrintResult {
  /** Empty when `render` is false or no PDF was asked for. */
  pdf: Uint8Array;
  /** Page 1's preview; empty when `render` is false or no preview was asked for. */
  png: Uint8Array;
  /** The previews asked for, page 1 first. */
  pngs: Uint8Array[];
  /** The settings chosen and the pages laid out: `fit.pages`, and `fit.pageStarts` for each page after the first. */
  fit: FitResult;
  /** The body's lines as laid out, for the preflight. */
  lines: PrintedLine[];
  /** Every character the page shows, for the glyph check. */
  text: string;
  /** Every image of the page, measured as printed, for the ppi check. */
  images: PrintedImage[];
  /** Requests the page tried to make outside its roots (blocked), each with the reason. */
  blocked: BlockedRequest[];
  /** The page's <body> as laid out: every page, at the chosen settings. */
  laidOut: string;
  /** Text the browser drew with a font that is not the template's (a system fallback). */
  platformFonts: Fault[];
}

/** CSS px of the page shown while it is laid out and measured; the layout does not depend on it. */
const LAYOUT_VIEWPORT_HEIGHT = 200;

export async function printPage(session: BrowserSession, doc: PageDocument, options: PrintOptions): Promise<PrintResult> {
  const htmlPath = join(options.workDir, 'page.html');
  await writeFile(htmlPath, doc.html);
  return session.withPage((page) => printOn(session, page, htmlPath, doc, options), { timeoutMs: options.timeoutMs, onRetry: options.onRetry });
}

async function printOn(session: BrowserSession, page: Page, htmlPath: string, doc: PageDocument, options: PrintOptions): Promise<PrintResult> {
  let mark = performance.now();
  const ended = (step: PrintStep): void => {
    const now = performance.now();
    options.onStep?.(step, now - mark);
    mark = now;
  };
  const onProgress = options.onProgress ?? (() => undefined);
  let laying = true;
  // The page calls this as it adds each page, so even one long layout reports its progress (a late call is dropped).
  await listenForProgress(page, (trial, pages) => {
    if (laying) onProgress({ stage: 'layout', trial, pages });
  });
  const preview = {
    width: Math.ceil(doc.geometry.width * PX_PER_MM),
    height: Math.ceil(doc.geometry.height * PX_PER_MM),
    deviceScaleFactor: options.previewScale ?? 1.5,
  };
  // Laid out in a strip of the page at scale 1: a whole page at the preview's scale cost ~0.9 s of
  // Chromium CPU an article when pages were windows (bench phases); the previews resize it.
  const opened = await openPrintPage(page, { path: htmlPath, html: doc.html }, {
    roots: [options.workDir, ...options.allowedRoots],
    remoteImages: options.remoteImages,
    viewport: { width: preview.width, height: LAYOUT_VIEWPORT_HEIGHT, deviceScaleFactor: 1 },
  });
  try {
    await hideBrokenImages(page);
    await page.evaluate(installPageScript);
    ended('open');

    const fit = await fitBody(page, options.fit, (trial) => onProgress({ stage: 'layout', trial, pages: 1 }));
    laying = false;
    // Fonts for any glyph first used at the chosen size must be in before printing.
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    ended('copyfit');
    onProgress({ stage: 'preflight', pages: fit.pages.length });
    const lines = await page.evaluate(() => window.presswork.lines());
    const text = await page.evaluate(() => document.body.innerText);
    const images = await measureImages(page);
    const laidOut = await page.evaluate(() => document.body.innerHTML);
    ended('measure');
    const platformFonts = await systemFontFaults(page);
    ended('systemFonts');
    // Now, not right after the copyfit: the measuring above is many round trips to node, which work
    // started on node's thread (the EPUB's font subsets) would hold up; the print below is few.
    options.onFitted?.(fit);
    const measured = { fit, lines, text, images, blocked: opened.blocked, platformFonts, laidOut };

    if (options.render === false) return { pdf: new Uint8Array(), png: new Uint8Array(), pngs: [], ...measured };
    const outputs = options.outputs ?? { pdf: true, previews: 'all' };
    if (outputs.pdf) onProgress({ stage: 'pdf', pages: fit.pages.length });
    // The previews are taken while node finishes the PDF (pdf-lib's rewrite), not after.
    const printing = outputs.pdf
      ? page.pdf({ preferCSSPageSize: true, printBackground: true, tagged: true, outline: true }).then(async (raw) => (await import('./pdf-metadata.js')).finishPdf(raw, options.metadata))
      : undefined;
    printing?.catch(() => undefined);
    // A 357-page article spent 63 % of its build on previews nobody asked for.
    const pngs = outputs.previews === 'none' ? [] : await session.inFront(page, () => previewPngs(page, preview, outputs.previews === 'first' ? 1 : null, onProgress, options.onPreview));
    ended('png');
    const pdf = printing ? (await printing).pdf : new Uint8Array();
    ended('pdf');
    return { pdf, png: pngs[0] ?? new Uint8Array(), pngs, ...measured };
  } finally {
    laying = false;
    await opened.release();
  }
}

export interface PrintPageSetup {
  /** Folders the page may read from; everything else is blocked and recorded. */
  roots: string[];
  remoteImages?: RemoteImages;
  viewport: Viewport;
}

/** The page HTML as written to disk, and its markup. */
export interface PrintDocument {
  path: string;
  html: string;
}

/**
 * Pages that hold a document of ours. The next print rewrites that document in place
 * (document.open/write/close) instead of navigating: the stylesheets and the decoded font chunks
 * stay in the renderer, which a navigation throws away and loads again (0.8 s of Chromium CPU an
 * article for the seed, against 0.1 s). Everything else starts over as in a fresh document: the
 * DOM, the styles, the layout, the document's event listeners. Its address stays the first
 * print's, which nothing printed shows: `#fragment` links point into the page either way, and
 * links to paths are unlinked before the print (renderPage).
 */
const holdsOurDocument = new WeakSet<Page>();

/**
 * Opens `source` on `page` as every print sees it: requests guarded, print media, the viewport,
 * web fonts in. `release` stops the guard: a page serves many articles, each with its own roots.
 */
export async function openPrintPage(page: Page, source: PrintDocument, setup: PrintPageSetup): Promise<{ blocked: BlockedRequest[]; release: () => Promise<void> }> {
  // The article's own time limit (BrowserSession) bounds every step: Puppeteer's 30 s defaults cut
  // a long article's goto or PDF short with an error that names neither the article nor the fix.
  page.setDefaultTimeout(0);
  const blocked: BlockedRequest[] = [];
  const release = await guardRequests(page, { roots: setup.roots, remoteImages: setup.remoteImages }, blocked);
  try {
    await page.emulateMediaType('print');
    await page.setViewport(setup.viewport);
    if (holdsOurDocument.has(page)) {
      await page.evaluate(rewriteDocument, source.html);
    } else {
      await page.goto(pathToFileURL(source.path).href, { waitUntil: 'load' });
      holdsOurDocument.add(page);
    }
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
  } catch (error) {
    await release();
    throw error;
  }
  return { blocked, release };
}

/** In the page: replaces the document with `html` and resolves at its load event, as `goto` with `waitUntil: 'load'` does. */
function rewriteDocument(html: string): Promise<void> {
  return new Promise((resolve) => {
    document.open();
    document.write(html);
    document.close();
    // The frame keeps its scroll offset (the last preview's page); client rects are taken from the top, as in a fresh page.
    window.scrollTo(0, 0);
    // The load event can come during close(), before a listener could be added.
    if (document.readyState === 'complete') resolve();
    else window.addEventListener('load', () => resolve(), { once: true });
  });
}

/** Each page's progress handler for the article it prints now: the binding is exposed once, and the page serves many articles. */
const progressHandlers = new WeakMap<Page, (trial: number, pages: number) => void>();

async function listenForProgress(page: Page, handler: (trial: number, pages: number) => void): Promise<void> {
  const exposed = progressHandlers.has(page);
  progressHandlers.set(page, handler);
  if (!exposed) await page.exposeFunction(PAGE_PROGRESS, (trial: number, pages: number) => progressHandlers.get(page)?.(trial, pages));
}

/** Previews of the first `count` pages (all when null). */
async function previewPngs(
  page: Page,
  viewport: Viewport,
  count: number | null,
  onProgress: (progress: PrintProgress) => void,
  onPreview: (page: number, png: Uint8Array) => void = () => undefined,
): Promise<Uint8Array[]> {
  await page.setViewport(viewport);
  const boxes = await page.$$eval('.page', (elements, count) =>
    elements.slice(0, count ?? elements.length).map((element) => {
      const rect = element.getBoundingClientRect();
      return { x: rect.x + window.scrollX, y: rect.y + window.scrollY, width: rect.width, height: rect.height };
    }),
    count ?? null,
  );
  const pngs: Uint8Array[] = [];
  for (const [index, clip] of boxes.entries()) {
    onProgress({ stage: 'png', page: index + 1, pages: boxes.length });
    // Each page is scrolled into the page-sized viewport and taken from there: capturing beyond the
    // viewport resizes the view to the whole document, which costs more with every page (2 s a page at 72 pages).
    // Puppeteer rounds the clip like this and crops it to the visual viewport: only a page wholly in view is taken from it.
    const x = Math.round(clip.x);
    const y = Math.round(clip.y);
    const box = { left: x, top: y, right: x + Math.round(clip.width + clip.x - x), bottom: y + Math.round(clip.height + clip.y - y) };
    const inView = await page.evaluate(({ left, top, right, bottom }) => {
      window.scrollTo(0, top);
      const view = window.visualViewport;
      return view !== null && view.pageLeft <= left && view.pageTop <= top && view.pageLeft + view.width >= right && view.pageTop + view.height >= bottom;
    }, box);
    const png = await page.screenshot({ type: 'png', clip, captureBeyondViewport: !inView });
    pngs.push(png);
    onPreview(index + 1, png);
  }
  return pngs;
}

/**
 * Asks Chromium which fonts drew each text block (CDP CSS.getPlatformFontsForNode).
 * A web font is reported under its family name; anything else is a system font
 * the page fell back to. A glyph missing from a web font can still be reported
 * as drawn by it, so the cmap check in the preflight stays the ground truth.
 */
async function systemFontFaults(page: Page): Promise<Fault[]> {
  const session = await page.createCDPSession();
  try {
    await session.send('DOM.enable');
    await session.send('CSS.enable');
    // The root alone: querySelectorAll sends the paths to what it finds, not the whole tree.
    const { root } = await session.send('DOM.getDocument', { depth: 0 });
    const { nodeIds } = await session.send('DOM.querySelectorAll', {
      nodeId: root.nodeId,
      selector: '.page :is(p, h1, h2, h3, h4, li, figcaption span, td, th, pre, div.paper, div.date, span, blockquote)',
    });
    // All questions at once (one round trip, not one per element); the answers come back in document order.
    const answers = await Promise.all(nodeIds.map((nodeId) => session.send('CSS.getPlatformFontsForNode', { nodeId })));
    const faults = new Map<string, Fault>();
    for (const [index, { fonts }] of answers.entries()) {
      const nodeId = nodeIds[index]!;
      for (const font of fonts) {
        // Only the template's fonts can load (requests are guarded), so any web font is one of ours.
        if (font.isCustomFont) continue;
        if (faults.has(font.familyName)) continue;
        // Mark the element to place the fault on its page (for the dev overlay).
        await session.send('DOM.setAttributeValue', { nodeId, name: 'data-system-font', value: font.familyName });
        faults.set(font.familyName, {
          message: `${font.glyphCount} glyph(s) drawn with the system font “${font.familyName}”, not a bundled one: the PDF would differ between machines`,
        });
      }
    }
    const places = await page.$$eval('[data-system-font]', (elements) =>
      elements.map((element) => {
        const box = element.getBoundingClientRect();
        const sheet = element.closest('.page');
        const origin = sheet?.getBoundingClientRect() ?? { left: 0, top: 0 };
        const family = element.getAttribute('data-system-font') ?? '';
        element.removeAttribute('data-system-font');
        return {
          family,
          text: (element.textContent ?? '').slice(0, 80),
          page: Number(sheet?.getAttribute('data-page') ?? 1),
          rect: { x: box.left - origin.left, y: box.top - origin.top, width: box.width, height: box.height },
        };
      }),
    );
    for (const place of places) {
      const fault = faults.get(place.family);
      if (fault) Object.assign(fault, { text: place.text, page: place.page, rect: place.rect });
    }
    return [...faults.values()];
  } finally {
    await session.detach();
  }
}
