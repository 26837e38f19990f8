// The floor: the least any Puppeteer-based tool can do for this page. Launch
// the browser, open presswork's own HTML for the seed (already copyfitted),
// print it. With --marginal N, then print the same loaded page N more times
// and open+print it on N fresh pages, to give the warm per-page costs.
// Prints one JSON line: { launchMs, gotoMs, fontsMs, pdfMs, totalMs, marginal… }.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer';

const [html, out, ...rest] = process.argv.slice(2);
const marginal = rest[0] === '--marginal' ? Number(rest[1]) : 0;
const executablePath = process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium';
const t0 = performance.now();
const args = ['--headless=new', '--disable-gpu', '--font-render-hinting=none', '--allow-file-access-from-files'];
if (process.getuid?.() === 0) args.push('--no-sandbox');
const browser = await puppeteer.launch({ executablePath, headless: true, args, pipe: true });
const t1 = performance.now();
const page = await browser.newPage();
await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
const t2 = performance.now();
await page.evaluate(() => document.fonts.ready.then(() => undefined));
const t3 = performance.now();
await page.pdf({ path: out, preferCSSPageSize: true, printBackground: true });
const t4 = performance.now();
const result = { launchMs: t1 - t0, gotoMs: t2 - t1, fontsMs: t3 - t2, pdfMs: t4 - t3, totalMs: t4 - t0 };
if (marginal > 0) {
  const pdfOnly = [];
  for (let i = 0; i < marginal; i++) {
    const start = performance.now();
    await page.pdf({ preferCSSPageSize: true, printBackground: true });
    pdfOnly.push(performance.now() - start);
  }
  const fullPage = [];
  for (let i = 0; i < marginal; i++) {
    const start = performance.now();
    const fresh = await browser.newPage();
    await fresh.goto(pathToFileURL(html).href, { waitUntil: 'load' });
    await fresh.evaluate(() => document.fonts.ready.then(() => undefined));
    await fresh.pdf({ preferCSSPageSize: true, printBackground: true });
    await fresh.close();
    fullPage.push(performance.now() - start);
  }
  result.marginalPdfMs = pdfOnly;
  result.marginalPageMs = fullPage;
}
await browser.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
