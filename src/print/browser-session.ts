// The browser of a build, kept alive: one Chromium at a time, relaunched when
// it dies. An article whose page was open when the browser crashed is printed
// again, once, on the new browser; a second crash fails only that article.
import { access, readlink, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'puppeteer';
import { launchBrowser } from './browser.js';

/** The browser died (killed, crashed, out of memory) while this article's page was open — twice. */
export class BrowserCrashError extends Error {
  override readonly name = 'BrowserCrashError';
}

/** The article's page did not finish within its time limit. */
export class PageTimeoutError extends Error {
  override readonly name = 'PageTimeoutError';
  constructor(readonly limitMs: number) {
    super(
      `the page did not finish laying out and printing within ${formatSeconds(limitMs)}; its layout may never settle (a photo or font that never loads, columns that keep changing) — check the article's photos and raw HTML, or raise the limit with --article-timeout`,
    );
  }
}

/** Articles one page prints before it is closed and a new one opened: whatever a renderer keeps between documents stays bounded. */
const PAGE_RUNS = 20;

export interface PageRun {
  /** 1 for the first try, 2 for the retry after a browser crash. */
  attempt: number;
  /** Browsers launched for this session before the run started (1 = no restart yet). */
  launches: number;
}

export interface WithPageOptions {
  /** Time limit for one attempt, in ms; none when absent. */
  timeoutMs?: number;
  /** Called before the retry that follows a crash, e.g. to note it on the article. */
  onRetry?: (error: Error) => void;
}

export interface BrowserSessionOptions {
  /** How to start a browser; default: launchBrowser(). */
  launch?: () => Promise<Browser>;
  /**
   * false: the caller handles Ctrl-C / SIGTERM itself (and closes the session);
   * true (default): Puppeteer kills the browser on those signals.
   */
  handleSignals?: boolean;
  /** How to let go of the browser at the end; default: close it. A browser someone else runs (--browser-ws) is only disconnected from. */
  release?: (browser: Browser) => Promise<void>;
}

export class BrowserSession {
  readonly #launch: () => Promise<Browser>;
  readonly #release: ((browser: Browser) => Promise<void>) | undefined;
  #current: Promise<Browser> | undefined;
  #closed = false;
  #launches = 0;
  /** Pages that finished a run and wait for the next, per browser: a new tab costs about 1 s of Chromium CPU, loading the next article into an open one much less. */
  readonly #idle = new WeakMap<Browser, Page[]>();
  readonly #runs = new WeakMap<Page, number>();
  /** The end of the last inFront turn. */
  #front: Promise<void> = Promise.resolve();
  /** Every Chromium this session started (main process id, profile folder), for callers that check nothing outlives it. */
  readonly launched: Array<{ pid: number; profile?: string }> = [];

  constructor(options: BrowserSessionOptions = {}) {
    const handleSignals = options.handleSignals ?? true;
    this.#launch = options.launch ?? (() => launchBrowser(undefined, { handleSignals }));
    this.#release = options.release;
  }

  /** How many browsers this session has launched (restarts = launches − 1). */
  get launches(): number {
    return this.#launches;
  }

  /**
   * Starts the launch now rather than at the first page: the CLI starts Chromium while it loads the
   * rest of the pipeline (about 1 s of each, side by side on two cores). A failed launch is reported
   * when a page asks for the browser.
   */
  warm(): void {
    if (this.#closed || this.#current) return;
    this.browser().catch(() => undefined);
  }

  /** The live browser, launched or relaunched as needed. Concurrent callers share one launch. */
  async browser(): Promise<Browser> {
    if (this.#closed) throw new Error('the browser session is closed');
    const current = this.#current;
    if (current) {
      const browser = await current.catch(() => undefined);
      if (browser?.connected) return browser;
      // Someone else may have replaced it while we waited.
      if (this.#current !== current) return this.browser();
    }
    this.#current = this.#start();
    return this.#current;
  }

  async #start(): Promise<Browser> {
    this.#launches += 1;
    const browser = await this.#launch();
    const child = browser.process();
    if (child?.pid !== undefined) {
      const profile = child.spawnargs.find((arg) => arg.startsWith('--user-data-dir='))?.slice('--user-data-dir='.length);
      this.launched.push({ pid: child.pid, ...(profile ? { profile } : {}) });
    }
    return browser;
  }

  /**
   * Runs `fn` on a page: one a finished run left open, or a new one. The page serves the next run if
   * `fn` ends well (so `fn` must undo what it set up for itself), and is closed if it fails. If the
   * browser dies during the run, it is relaunched and `fn` runs once more on a new page.
   */
  async withPage<T>(fn: (page: Page, run: PageRun) => Promise<T>, options: WithPageOptions = {}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const browser = await this.browser();
      const launches = this.#launches;
      try {
        return await this.#runOnPage(browser, fn, { attempt, launches }, options.timeoutMs);
      } catch (error) {
        if (this.#closed || error instanceof PageTimeoutError || !(await died(browser))) throw error;
        const reason = error instanceof Error ? error : new Error(String(error));
        if (attempt >= 2) {
          throw new BrowserCrashError(
            `the browser crashed twice while printing this article (${reason.message}); if it happens again, the article may be too large for the machine's memory — split it, or free memory and build it alone`,
          );
        }
        options.onRetry?.(reason);
      }
    }
  }

  async #runOnPage<T>(browser: Browser, fn: (page: Page, run: PageRun) => Promise<T>, run: PageRun, timeoutMs: number | undefined): Promise<T> {
    const page = await this.#takePage(browser);
    let timer: NodeJS.Timeout | undefined;
    let finished = false;
    try {
      const work = fn(page, run);
      let result: T;
      if (timeoutMs === undefined) result = await work;
      else {
        // A run that times out is abandoned: closing its page below makes its pending calls fail, unheard.
        work.catch(() => undefined);
        const limit = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new PageTimeoutError(timeoutMs)), timeoutMs);
        });
        result = await Promise.race([work, limit]);
      }
      finished = true;
      return result;
    } finally {
      clearTimeout(timer);
      // Only a page whose run ended well serves the next article; one that failed or timed out may be mid-way through anything.
      if (finished && !this.#closed && browser.connected && !page.isClosed() && this.#served(page) < PAGE_RUNS) this.#idle.get(browser)?.push(page);
      else if (browser.connected) await page.close().catch(() => undefined);
    }
  }

  /**
   * An open page of `browser` that is free, else a new one. A background tab, not a window: a window
   * repaints after every layout and print (the seed's PDF took twice the CPU in one); a hidden tab is
   * not painted, so its screenshots wait for inFront.
   */
  async #takePage(browser: Browser): Promise<Page> {
    let idle = this.#idle.get(browser);
    if (!idle) this.#idle.set(browser, (idle = []));
    for (let page = idle.pop(); page; page = idle.pop()) if (!page.isClosed()) return page;
    return browser.newPage({ background: true });
  }

  /** Counts one more run on `page`; returns how many it has served. */
  #served(page: Page): number {
    const runs = (this.#runs.get(page) ?? 0) + 1;
    this.#runs.set(page, runs);
    return runs;
  }

  /**
   * Runs `fn` (screenshots) with `page` the shown tab of its window. Chromium paints only the shown tab, and
   * a screenshot of a hidden one waits for a frame that never comes; one page at a time is shown, so
   * a pool's pages take turns here (Puppeteer takes one screenshot at a time anyway).
   */
  async inFront<T>(page: Page, fn: () => Promise<T>): Promise<T> {
    const turn = this.#front.then(async () => {
      await page.bringToFront();
      return fn();
    });
    this.#front = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  /**
   * Closes the browser; safe to call more than once and while runs are in
   * flight. `kill`: on Ctrl-C / SIGTERM, no polite close — the process is
   * killed at once and its profile folder removed.
   */
  async close(options: { kill?: boolean } = {}): Promise<void> {
    this.#closed = true;
    const current = this.#current;
    this.#current = undefined;
    const browser = await current?.catch(() => undefined);
    if (!browser) return;
    // A browser someone else runs (--browser-ws) is only let go of, never killed.
    if (this.#release) return this.#release(browser).catch(() => undefined);
    const child = browser.process();
    if (!options.kill) await browser.close().catch(() => undefined);
    // A browser that does not answer (or that we must stop now) is killed, so no Chromium outlives the build.
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      killGroup(child.pid, () => child.kill('SIGKILL'));
      await exited;
    }
    const profile = this.launched.find((launched) => launched.pid === child?.pid)?.profile;
    if (profile) {
      // A killed Chromium also leaves its singleton-socket folder in the temp folder; the profile links to it.
      const socket = await readlink(join(profile, 'SingletonSocket')).catch(() => undefined);
      // Chromium's helper processes can still be writing there for a moment after the main one dies.
      // Looked at again only after a pause: the first removal almost always holds, and the build waits for this one.
      for (let round = 1; ; round++) {
        await rm(profile, { recursive: true, force: true }).catch(() => undefined);
        if (round === 20 || !(await exists(profile))) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      if (socket && /org\.chromium\.Chromium\.\w+$/.test(dirname(socket))) await rm(dirname(socket), { recursive: true, force: true });
    }
  }
}

/** Puppeteer starts Chromium as the leader of its own process group: killing the group stops its helpers at once too. */
function killGroup(pid: number | undefined, fallback: () => void): void {
  try {
    if (pid === undefined || process.platform === 'win32') throw new Error('no process group');
    process.kill(-pid, 'SIGKILL');
  } catch {
    fallback();
  }
}

const exists = (path: string) => access(path).then(() => true, () => false);

/** True when the browser is gone; a page's calls can fail a moment before the browser reports its own end. */
async function died(browser: Browser): Promise<boolean> {
  if (!browser.connected) return true;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 500);
    browser.once('disconnected', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return !browser.connected;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(2)} s`;
}
