// Print: load the page HTML in Chromium from disk, fit the body to its page,
// measure it, print the PDF, render the page-1 preview.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'puppeteer';
import type { PageDocument } from '../layout/index.js';
import type { BrowserSession } from './browser-session.js';
import { fitBody, type FitResult } from './copyfit.js';
import type { PrintedLine } from './kinsoku.js';
import { hideBrokenImages, measureImages, type PrintedImage } from './images.js';
import { readLines } from './lines.js';
import { guardRequests, type BlockedRequest, type RemoteImages } from './request-guard.js';
import { finishPdf, type PdfMetadata } from './pdf-metadata.js';

export { findBrowser, launchBrowser, BrowserNotFoundError } from './browser.js';
export { BrowserSession, BrowserCrashError, PageTimeoutError, type PageRun, type WithPageOptions } from './browser-session.js';
export type { FitResult } from './copyfit.js';
export type { PdfMetadata } from './pdf-metadata.js';
export { preflight, type Check, type Preflight } from './preflight.js';
export type { PrintedLine } from './kinsoku.js';
export { MIN_PPI, type PrintedImage } from './images.js';
export { DEFAULT_REMOTE_IMAGES, type BlockedRequest, type RemoteImages } from './request-guard.js';

export interface PrintOptions {
  /** Folder the page HTML is written to and loaded from. */
  workDir: string;
  /** Folders (besides workDir) the page may read from: templates, fonts, content. */
  allowedRoots: string[];
  metadata: PdfMetadata;
  /** Pixels per CSS px of the PNG preview. */
  previewScale?: number;
  /** false: lay out and measure only (`presswork check`). */
  render?: boolean;
  /** Time limit for laying out and printing the page, in ms. */
  timeoutMs?: number;
  /** Fetch remote images within these limits (`--allow-remote`); absent: block them. */
  remoteImages?: RemoteImages;
  /** The browser crashed while this page was open; it is printed once more on a new browser. */
  onRetry?: (error: Error) => void;
}

/** Where a printed page after the first begins in the article's text. */
export interface PageStart {
  /** 2, 3, … */
  page: number;
  /** id of the body block (b-N, section-N, …) that holds the page's first character. */
  blockId: string;
  /** UTF-16 code units of that block's text content (DOM textContent / hast toString) before the page's first character. */
  offset: number;
}

export interface PrintResult {
  /** Empty when `render` is false. */
  pdf: Uint8Array;
  png: Uint8Array;
  pages: number;
  /** One entry per page after the first, in page order. */
  pageStarts: PageStart[];
  fit: FitResult;
  /** The body's lines as laid out, for the preflight. */
  lines: PrintedLine[];
  /** Every character the page shows, for the glyph check. */
  text: string;
  /** Every image of the page, measured as printed, for the ppi check. */
  images: PrintedImage[];
  /** Requests the page tried to make outside its roots (blocked), each with the reason. */
  blocked: BlockedRequest[];
}

const MM_TO_PX = 96 / 25.4;

export async function printPage(session: BrowserSession, doc: PageDocument, options: PrintOptions): Promise<PrintResult> {
  const htmlPath = join(options.workDir, 'page.html');
  await writeFile(htmlPath, doc.html);
  return session.withPage((page) => printOn(page, htmlPath, doc, options), { timeoutMs: options.timeoutMs, onRetry: options.onRetry });
}

async function printOn(page: Page, htmlPath: string, doc: PageDocument, options: PrintOptions): Promise<PrintResult> {
  const blocked: BlockedRequest[] = [];
  await guardRequests(page, { roots: [options.workDir, ...options.allowedRoots], remoteImages: options.remoteImages }, blocked);
  await page.emulateMediaType('print');
  await page.setViewport({
    width: Math.ceil(doc.geometry.width * MM_TO_PX),
    height: Math.ceil(doc.geometry.height * MM_TO_PX),
    deviceScaleFactor: options.previewScale ?? 1.5,
  });
  await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await hideBrokenImages(page);

  const fit = await fitBody(page, doc.geometry.bodySize);
  // Fonts for any glyph first used at the chosen size must be in before printing.
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  const lines = await readLines(page);
  const text = await page.evaluate(() => document.body.innerText);
  const images = await measureImages(page);

  if (options.render === false) {
    const pages = await page.$$eval('.page', (elements) => elements.length);
    return { pdf: new Uint8Array(), png: new Uint8Array(), pages, pageStarts: [], fit, lines, text, images, blocked };
  }
  const raw = await page.pdf({ preferCSSPageSize: true, printBackground: true, tagged: true, outline: true });
  const { pdf, pages } = await finishPdf(raw, options.metadata);
  const png = await previewPng(page);
  return { pdf, png, pages, pageStarts: [], fit, lines, text, images, blocked };
}

async function previewPng(page: Page): Promise<Uint8Array> {
  const box = await page.$eval('.page', (element) => {
    const rect = element.getBoundingClientRect();
    return { x: rect.x, y: rect.y, width: rect.width, height: rect.height };
  });
  return page.screenshot({ type: 'png', clip: box, captureBeyondViewport: true });
}
