// Faults during a build: the browser killed in the middle of a batch, a page
// that never settles. Each article either comes out whole or fails alone.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findBrowser } from '../src/print/browser.js';
import { BrowserSession } from '../src/print/browser-session.js';
import { build } from '../src/publish/build.js';
import { articleFolder, shortArticle } from './support/articles.js';
import { chromiumSurvivors, waitFor } from './support/processes.js';

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function batch(): string {
  const dir = articleFolder({ 'a.md': shortArticle('第一篇'), 'b.md': shortArticle('第二篇'), 'c.md': shortArticle('第三篇') });
  folders.push(dir);
  return dir;
}

describe('a build whose browser is killed in the middle of an article', () => {
  it('restarts the browser, prints that article again and leaves the others unharmed', async () => {
    const dir = batch();
    const out = join(dir, 'output');
    const session = new BrowserSession();
    let killedDuring: string | undefined;
    let current = '';
    // Kill the browser while the second article's page is loaded and being fitted.
    const watcher = setInterval(() => {
      if (killedDuring || !current.endsWith('b.md')) return;
      void session.browser().then(async (browser) => {
        const pages = await browser.pages();
        if (killedDuring || !pages.some((page) => page.url().startsWith('file:'))) return;
        killedDuring = current;
        process.kill(session.launched[0]!.pid, 'SIGKILL');
      });
    }, 20);
    const started = Date.now();
    const report = await build({
      paths: [dir],
      cwd: dir,
      outDir: out,
      formats: ['pdf', 'epub'],
      write: true,
      session,
      // One article in flight: the one the kill hits is the only one retried.
      concurrency: 1,
      onArticle: ({ source, phase }) => {
        if (phase === 'start') current = source;
      },
    }).finally(async () => {
      clearInterval(watcher);
      await session.close();
    });
    const elapsed = Date.now() - started;
    expect(killedDuring).toMatch(/b\.md$/);
    expect(report.articles.map((article) => [article.slug, article.ok])).toEqual([
      ['a', true],
      ['b', true],
      ['c', true],
    ]);
    const restarts = report.articles.map((article) => article.messages.filter((message) => message.rule === 'browser-restart').length);
    expect(restarts).toEqual([0, 1, 0]);
    for (const slug of ['a', 'b', 'c']) {
      expect(readdirSync(join(out, slug)).sort()).toEqual([`${slug}.epub`, `${slug}.pdf`]);
    }
    expect(session.launches).toBe(2);
    expect(await waitFor(() => chromiumSurvivors(session.launched).length === 0)).toBe(true);
    console.info(`faults: 3-article batch with a browser kill took ${elapsed} ms`);
  });
});

describe('a page that does not finish within the time limit', () => {
  it('fails that article with a clear error and writes nothing for it', async () => {
    const dir = batch();
    const out = join(dir, 'output');
    const session = new BrowserSession();
    const started = Date.now();
    const report = await build({ paths: [join(dir, 'a.md')], cwd: dir, outDir: out, formats: ['pdf'], write: true, session, articleTimeoutMs: 10 }).finally(() =>
      session.close(),
    );
    expect(Date.now() - started).toBeLessThan(20_000);
    const [article] = report.articles;
    expect(article?.ok).toBe(false);
    const error = article?.messages.find((message) => message.rule === 'timeout');
    expect(error?.severity).toBe('error');
    expect(error?.message).toMatch(/did not finish laying out and printing within 0\.01 s.*--article-timeout/);
    expect(existsSync(join(out, 'a'))).toBe(false);
    expect(await waitFor(() => chromiumSurvivors(session.launched).length === 0)).toBe(true);
  });
});

describe('a write that fails half-way', () => {
  it('leaves no half-written file and no part of the article in the output folder', () => {
    const dir = batch();
    const out = join(dir, 'output');
    const cli = fileURLToPath(new URL('../bin/presswork.js', import.meta.url));
    // The kernel stops presswork's writes past 16 KB (EFBIG), as a full disk or quota would: the PDF (about 34 KB)
    // fails mid-way. Chromium gets its limit back through a wrapper, so only our own writes are hit.
    const browser = join(dir, 'chromium-unlimited.sh');
    writeFileSync(browser, `#!/bin/sh\nulimit -S -f unlimited\nexec ${findBrowser()} "$@"\n`, { mode: 0o755 });
    const script = `ulimit -S -f 32; exec "$0" "$@"`;
    // Node would die of SIGXFSZ; ignoring it turns the limit into the EFBIG error a full disk gives.
    const ignoreSignal = '--import=data:text/javascript,process.on("SIGXFSZ",()=>{})';
    const started = Date.now();
    const result = spawnSync('bash', ['-c', script, process.execPath, ignoreSignal, cli, 'build', join(dir, 'a.md'), '--out', out, '--format', 'pdf,epub'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, PUPPETEER_EXECUTABLE_PATH: browser },
    });
    const elapsed = Date.now() - started;
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/could not write .*a\.pdf \(EFBIG[^)]*\); nothing of this article was left in .* check the free space and permissions/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    // Only the manifest (small enough to write) is there: no PDF, no temp file, no EPUB.
    expect(readdirSync(out, { recursive: true, encoding: 'utf8' }).sort()).toEqual(['a', 'manifest.json']);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { articles: Array<{ ok: boolean; outputs: object; messages: Array<{ rule: string }> }> };
    expect(manifest.articles[0]?.ok).toBe(false);
    expect(manifest.articles[0]?.outputs).toEqual({});
    expect(manifest.articles[0]?.messages.map((message) => message.rule)).toContain('write');
    console.info(`faults: failed write build took ${elapsed} ms`);
  });
});
