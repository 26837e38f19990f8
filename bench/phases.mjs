// Where the time of one article goes: the print stage's steps, replayed one by
// one with presswork's own modules (dist/) on the seed, each timed. One run per
// process; prints one JSON line of milliseconds. Keep in step with
// src/print/index.ts (printOn) when that changes.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { loadArticle, loadConfig } from '../dist/content/load.js';
import { buildEpub } from '../dist/epub/index.js';
import { loadTemplate, renderPage } from '../dist/layout/index.js';
import { launchBrowser } from '../dist/print/browser.js';
import { fitBody } from '../dist/print/copyfit.js';
import { readLines } from '../dist/print/lines.js';
import { finishPdf } from '../dist/print/pdf-metadata.js';
import { createArticleProcessor, transformArticle } from '../dist/transform/index.js';

const [source, projectDir] = process.argv.slice(2);
const times = {};
let last = performance.now();
const lap = (name) => {
  const now = performance.now();
  times[name] = (times[name] ?? 0) + (now - last);
  last = now;
};

const start = performance.now();
last = start;
const config = loadConfig(projectDir);
const template = loadTemplate();
const processor = createArticleProcessor();
lap('setup');
const article = await loadArticle(source, config);
const tree = await transformArticle(processor, article.file);
const doc = renderPage(article, tree, template);
lap('loadTransformLayout');
const browser = await launchBrowser();
lap('launch');
const workDir = await mkdtemp(join(tmpdir(), 'presswork-phases-'));
const htmlPath = join(workDir, 'page.html');
await writeFile(htmlPath, doc.html);
const page = await browser.newPage();
// As printOn does: every request passes the guard in node.
await page.setRequestInterception(true);
let requests = 0;
page.on('request', (request) => {
  requests++;
  void request.continue();
});
await page.emulateMediaType('print');
const MM_TO_PX = 96 / 25.4;
await page.setViewport({ width: Math.ceil(doc.geometry.width * MM_TO_PX), height: Math.ceil(doc.geometry.height * MM_TO_PX), deviceScaleFactor: 1.5 });
lap('newPage');
await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
lap('goto');
await page.evaluate(() => document.fonts.ready.then(() => undefined));
lap('fonts');
const fit = await fitBody(page, doc.geometry.bodySize);
await page.evaluate(() => document.fonts.ready.then(() => undefined));
lap('copyfit');
await readLines(page);
await page.evaluate(() => document.body.innerText);
lap('measure');
const raw = await page.pdf({ preferCSSPageSize: true, printBackground: true, tagged: true, outline: true });
lap('pdf');
await finishPdf(raw, { title: article.frontMatter.headline, authors: [], keywords: [], lang: 'zh-CN', creator: 'bench' });
lap('pdfMetadata');
const box = await page.$eval('.page', (element) => {
  const rect = element.getBoundingClientRect();
  return { x: rect.x, y: rect.y, width: rect.width, height: rect.height };
});
await page.screenshot({ type: 'png', clip: box, captureBeyondViewport: true });
lap('png');
await buildEpub({
  tree,
  frontMatter: article.frontMatter,
  slug: article.slug,
  sectionHeads: article.file.data.sectionHeads ?? [],
  runningHead: article.runningHead,
  creator: 'bench',
  sourceDateEpoch: 0,
});
lap('epub');
await page.close();
await browser.close();
lap('close');
await rm(workDir, { recursive: true, force: true });
times.total = performance.now() - start;
process.stdout.write(`${JSON.stringify({ ...times, copyfitIterations: fit.iterations, requests })}\n`);
