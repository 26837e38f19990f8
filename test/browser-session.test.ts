// The browser session: a browser killed mid-print is relaunched and the page
// printed again, once; a page that never finishes hits its time limit; and no
// Chromium process outlives the session.
import type { Page } from 'puppeteer';
import { afterAll, describe, expect, it } from 'vitest';
import { BrowserCrashError, BrowserSession, PageTimeoutError } from '../src/print/browser-session.js';
import { chromiumSurvivors, profileGone, waitFor } from './support/processes.js';

const sessions: BrowserSession[] = [];
function session(): BrowserSession {
  const created = new BrowserSession();
  sessions.push(created);
  return created;
}

function kill(pid: number | undefined): void {
  if (pid !== undefined) process.kill(pid, 'SIGKILL');
}

afterAll(async () => {
  for (const created of sessions) await created.close();
});

describe('BrowserSession', () => {
  it('relaunches a browser killed in the middle of a page and runs the page once more', async () => {
    const browsers = session();
    const retries: string[] = [];
    const attempts: number[] = [];
    const started = Date.now();
    const result = await browsers.withPage(
      async (page, run) => {
        attempts.push(run.attempt);
        await page.goto('data:text/html;charset=utf-8,<p>%E7%AC%AC%E4%B8%80%E7%89%88</p>');
        if (run.attempt === 1) kill(browsers.launched[0]?.pid);
        // On the killed browser this call fails; on the new one it answers.
        return page.evaluate(() => document.querySelector('p')?.textContent);
      },
      { onRetry: (error) => retries.push(error.message) },
    );
    const elapsed = Date.now() - started;
    expect(result).toBe('第一版');
    expect(attempts).toEqual([1, 2]);
    expect(retries).toHaveLength(1);
    expect(browsers.launches).toBe(2);
    expect(browsers.launched[0]?.pid).not.toBe(browsers.launched[1]?.pid);
    // The killed browser left nothing behind while the new one runs.
    expect(await waitFor(() => chromiumSurvivors(browsers.launched.slice(0, 1)).length === 0)).toBe(true);
    expect(await waitFor(() => profileGone(browsers.launched[0]?.profile))).toBe(true);
    console.info(`browser-session: crash + relaunch + retry took ${elapsed} ms`);
  });

  it('retries only once: a second crash fails the page with a clear error', async () => {
    const browsers = session();
    let attempts = 0;
    const outcome = browsers.withPage(async (page) => {
      attempts += 1;
      await page.goto('data:text/html,<p>x</p>');
      kill(browsers.launched.at(-1)?.pid);
      return page.evaluate(() => 1);
    });
    await expect(outcome).rejects.toBeInstanceOf(BrowserCrashError);
    await expect(outcome).rejects.toThrow(/crashed twice while printing this article/);
    expect(attempts).toBe(2);
    // The session is still usable: the next page gets a third browser.
    expect(await browsers.withPage((page) => page.evaluate(() => 6 * 7))).toBe(42);
    expect(browsers.launches).toBe(3);
  });

  it('retries every page that was open when the browser died, on one new browser', async () => {
    const browsers = session();
    await browsers.browser();
    const opened: number[] = [];
    let killed = false;
    const texts = await Promise.all(
      ['甲', '乙', '丙'].map((text, index) =>
        browsers.withPage(async (page, run) => {
          await page.goto(`data:text/html;charset=utf-8,<p>${encodeURIComponent(text)}</p>`);
          if (run.attempt === 1) {
            opened.push(index);
            // The last of the three to open kills the browser under all of them.
            if (opened.length === 3 && !killed) {
              killed = true;
              kill(browsers.launched[0]?.pid);
            } else {
              await new Promise((resolve) => setTimeout(resolve, 3000));
            }
          }
          return page.evaluate(() => document.querySelector('p')?.textContent);
        }),
      ),
    );
    expect(texts).toEqual(['甲', '乙', '丙']);
    expect(browsers.launches).toBe(2);
  });

  it('stops a page that never settles at its time limit, with an error that says what to do', async () => {
    const browsers = session();
    await browsers.browser();
    const started = Date.now();
    let stuck: Page | undefined;
    const outcome = browsers.withPage(
      (page) => {
        stuck = page;
        return page.evaluate(() => new Promise<never>(() => undefined));
      },
      { timeoutMs: 1500 },
    );
    await expect(outcome).rejects.toBeInstanceOf(PageTimeoutError);
    await expect(outcome).rejects.toThrow(/did not finish laying out and printing within 1\.50 s.*--article-timeout/);
    const elapsed = Date.now() - started;
    // The page would wait forever; the limit ends it (the slack is for opening a page on a busy machine).
    expect(elapsed).toBeGreaterThanOrEqual(1500);
    expect(elapsed).toBeLessThan(15_000);
    // A timeout is not a crash: the same browser serves the next page.
    expect(await browsers.withPage((page) => page.evaluate(() => 'next'))).toBe('next');
    expect(browsers.launches).toBe(1);
    // The timed-out page was closed, not kept for the next article.
    expect(stuck?.isClosed()).toBe(true);
    const pages = await (await browsers.browser()).pages();
    expect(pages).not.toContain(stuck);
  });

  it('loads the next article into the page a run that ended well left open, and closes a page whose run failed', async () => {
    const browsers = session();
    const first = await browsers.withPage(async (page) => page);
    const second = await browsers.withPage(async (page) => page);
    expect(second).toBe(first);
    expect(first.isClosed()).toBe(false);
    await expect(
      browsers.withPage(async (page) => {
        expect(page).toBe(first);
        throw new Error('the article failed');
      }),
    ).rejects.toThrow('the article failed');
    expect(first.isClosed()).toBe(true);
    const third = await browsers.withPage(async (page) => page);
    expect(third).not.toBe(first);
    // Two runs at once each get a page of their own.
    const [a, b] = await Promise.all([browsers.withPage(async (page) => page), browsers.withPage(async (page) => page)]);
    expect(a).not.toBe(b);
  });

  it('leaves no Chromium process and no profile folder behind once closed', async () => {
    for (const created of sessions) await created.close();
    const launched = sessions.flatMap((created) => created.launched);
    expect(launched.length).toBeGreaterThanOrEqual(7);
    expect(await waitFor(() => chromiumSurvivors(launched).length === 0), JSON.stringify(chromiumSurvivors(launched))).toBe(true);
    expect(await waitFor(() => launched.every((browser) => profileGone(browser.profile)))).toBe(true);
  });
});
