// `presswork dev`: a local preview server. Each article is laid out by the
// build pipeline (the same copyfit and preflight as `presswork check`), shown
// at the body size the copyfit chose, reloaded in the browser when its source,
// the template or the config is saved, with the preflight faults outlined.
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import sirv from 'sirv';
import { reporter } from 'vfile-reporter';
import { CONFIG_FILE, loadArticle, loadConfig } from '../content/load.js';
import { loadTemplate, renderPage, TEMPLATES_DIR, withLaidOutBody } from '../layout/index.js';
import { BrowserSession } from '../print/index.js';
import { build, type ArticleReport } from '../publish/build.js';
import { collectSources, UsageError } from '../publish/sources.js';
import { createArticleProcessor, transformArticle } from '../transform/index.js';
import { faultsOf } from './faults.js';
import { articlePage, articleUrl, DEV_PREFIX, errorPage, EVENTS_URL, indexPage, type ArticleEntry } from './pages.js';
import { pathInside } from '../paths.js';
import { PACKAGE_ROOT } from '../version.js';

/** The dev client and its stylesheet: real files, served only by this server. */
export const DEV_ASSETS_DIR = join(PACKAGE_ROOT, 'templates', 'dev');

export const DEFAULT_DEV_PORT = 4000;

export interface DevServerOptions {
  /** Article files or folders, as for `build` (default: content/). */
  paths: string[];
  /** The project folder: config, default content folder. */
  cwd: string;
  /** 0: any free port. */
  port?: number;
  host?: string;
  /** The browser to lay out with; default: one started for this server and closed with it. */
  session?: BrowserSession;
  /** One line per event worth telling (rebuilds, errors). */
  log?: (line: string) => void;
  /** Saves closer together than this are one rebuild. */
  debounceMs?: number;
}

export interface DevServer {
  url: string;
  port: number;
  session: BrowserSession;
  /** Resolves once every layout queued so far is done. */
  settled(): Promise<void>;
  /** Stops watching, ends the event streams, closes the server and the browser (if it started it). */
  close(): Promise<void>;
}

interface ArticleState extends ArticleEntry {
  /** The laid-out page (without the dev additions), when the article could be laid out. */
  html?: string;
  /** The terminal report of an article that could not be laid out. */
  report?: string;
  /** Resolves when the layout in flight (or queued) is done. */
  ready: Promise<void>;
  markReady: () => void;
}

const inside = (root: string, path: string): boolean => pathInside(root, path) !== undefined;

/** Folders the page may load files from, each served under /_files/<n>/. */
class FileRoots {
  readonly #roots: string[] = [];
  readonly #handlers: Array<ReturnType<typeof sirv>> = [];

  add(root: string): number {
    const existing = this.#roots.indexOf(root);
    if (existing >= 0) return existing;
    this.#roots.push(root);
    this.#handlers.push(sirv(root, { dev: true, dotfiles: false, etag: true }));
    return this.#roots.length - 1;
  }

  /** The URL of a file on disk (stylesheet, font, photo). */
  url = (path: string): string => {
    let index = this.#roots.findIndex((root) => inside(root, path));
    if (index < 0) index = this.add(dirname(path));
    const root = this.#roots[index] ?? dirname(path);
    return `/_files/${index}/${relative(root, path).split(sep).map(encodeURIComponent).join('/')}`;
  };

  serve(index: number, rest: string, req: IncomingMessage, res: ServerResponse): void {
    const handler = this.#handlers[index];
    if (!handler) return notFound(res);
    req.url = rest;
    handler(req, res, () => notFound(res));
  }
}

function notFound(res: ServerResponse, text = 'not found'): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`${text}\n`);
}

function sendHtml(res: ServerResponse, html: string, status = 200): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const cwd = resolve(options.cwd);
  const log = options.log ?? (() => undefined);
  const debounceMs = options.debounceMs ?? 80;
  const ownSession = !options.session;
  // The dev command closes the browser itself on Ctrl-C, after the server.
  const session = options.session ?? new BrowserSession({ handleSignals: false });
  const roots = new FileRoots();
  const devAssets = sirv(DEV_ASSETS_DIR, { dev: true, etag: true });
  const articles = new Map<string, ArticleState>();
  const streams = new Set<ServerResponse>();
  let indexVersion = 0;
  let closed = false;

  // Template and fonts first, so their URLs are stable for the server's life.
  const firstTemplate = loadTemplate();
  roots.add(firstTemplate.dir);
  for (const font of firstTemplate.fonts) roots.add(dirname(font.cssPath));

  const watchedPaths = (options.paths.length > 0 ? options.paths : ['content']).map((path) => resolve(cwd, path));

  function entryOf(source: string): ArticleState {
    let state = articles.get(source);
    if (!state) {
      let markReady = () => undefined as void;
      const ready = new Promise<void>((done) => (markReady = done));
      state = {
        source: relative(cwd, source) || source,
        slug: basename(source, extname(source)),
        status: 'building',
        version: 0,
        messages: [],
        ready,
        markReady,
      };
      articles.set(source, state);
      roots.add(dirname(source));
    }
    return state;
  }

  function broadcast(event: string, data: unknown): void {
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const stream of streams) stream.write(frame);
  }

  // One layout at a time on one browser: the machine's cores go to Chromium.
  const pending = new Set<string>();
  let worker: Promise<void> | undefined;
  const timers = new Map<string, NodeJS.Timeout>();

  function schedule(source: string, delay = debounceMs): void {
    if (closed) return;
    const state = entryOf(source);
    if (state.status !== 'building' && !pending.has(source)) {
      // Whoever asks for the page now waits for this layout.
      state.ready = new Promise<void>((done) => (state.markReady = done));
    }
    clearTimeout(timers.get(source));
    timers.set(
      source,
      setTimeout(() => {
        timers.delete(source);
        pending.add(source);
        worker ??= work().finally(() => (worker = undefined));
      }, delay),
    );
  }

  async function work(): Promise<void> {
    while (pending.size > 0 && !closed) {
      const [source] = pending;
      if (!source) break;
      pending.delete(source);
      await layOut(source);
    }
  }

  async function layOut(source: string): Promise<void> {
    const state = entryOf(source);
    state.status = 'building';
    const started = Date.now();
    let report: ArticleReport | undefined;
    try {
      let laidOut: { laidOut: string; leading: number } | undefined;
      [report] = (
        await build({ paths: [source], cwd, outDir: cwd, formats: [], write: false, session, onLaidOut: (event) => (laidOut = event) })
      ).articles;
      if (!report) throw new Error('the build returned no article');
      if (closed) return state.markReady();
      state.title = report.title;
      if (report.slug) state.slug = report.slug;
      state.preflight = report.preflight;
      state.messages = report.messages;
      if (report.preflight) {
        // The pages as the build prints them: the same tree, at the settings the copyfit chose, over the pages it flowed to.
        const article = await loadArticle(source, loadConfig(cwd));
        const tree = await transformArticle(createArticleProcessor(), article.file);
        const doc = renderPage(article, tree, loadTemplate(), { bodySize: report.preflight.bodySize, leading: laidOut?.leading, assetUrl: roots.url });
        state.html = laidOut ? withLaidOutBody(doc.html, laidOut.laidOut, roots.url) : doc.html;
        state.report = undefined;
        state.status = report.preflight.ok ? 'ok' : 'faults';
      } else {
        state.html = undefined;
        state.report = reporter([report.file], { color: false });
        state.status = 'error';
      }
    } catch (error) {
      if (closed) return state.markReady();
      state.html = undefined;
      state.report = error instanceof Error ? error.message : String(error);
      state.status = 'error';
    }
    state.version += 1;
    indexVersion += 1;
    const took = ((Date.now() - started) / 1000).toFixed(1);
    log(`${state.source}: ${state.status === 'error' ? 'could not be laid out' : state.status === 'ok' ? 'preflight ok' : 'preflight failed'} (${took} s)`);
    state.markReady();
    broadcast('reload', { slug: state.slug, version: state.version, status: state.status });
  }

  function forget(source: string): void {
    const state = articles.get(source);
    if (!state) return;
    articles.delete(source);
    pending.delete(source);
    clearTimeout(timers.get(source));
    indexVersion += 1;
    state.markReady();
    broadcast('reload', { slug: state.slug, removed: true });
  }

  async function rescan(): Promise<string[]> {
    const sources: string[] = await collectSources(
      watchedPaths.filter((path) => existsSync(path)).map((path) => relative(cwd, path) || '.'),
      cwd,
    ).catch((error: unknown) => {
      if (error instanceof UsageError) return [] as string[];
      throw error;
    });
    for (const source of articles.keys()) if (!sources.includes(source)) forget(source);
    for (const source of sources) if (!articles.has(source)) schedule(source, 0);
    return sources;
  }

  const sources = await collectSources(options.paths, cwd);

  const watcher: FSWatcher = watch([...watchedPaths, join(cwd, CONFIG_FILE), firstTemplate.dir], {
    ignoreInitial: true,
    ignored: (path: string) => /(^|[/\\])(node_modules|\.git)([/\\]|$)/.test(path),
  });
  const isArticle = (path: string) => /\.(md|markdown)$/i.test(path);
  watcher.on('all', (event, changed) => {
    const path = resolve(cwd, changed);
    if (articles.has(path)) {
      if (event === 'unlink') forget(path);
      else schedule(path);
      return;
    }
    if (isArticle(path) && (event === 'add' || event === 'unlink')) {
      void rescan();
      return;
    }
    // A template, the config, or a file an article shows (a photo): lay out what may have changed.
    const all = path === join(cwd, CONFIG_FILE) || inside(firstTemplate.dir, path);
    for (const source of articles.keys()) if (all || inside(dirname(source), path)) schedule(source);
  });
  await new Promise<void>((ready, fail) => {
    watcher.once('ready', ready);
    watcher.once('error', fail);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/' || path === '/index.html') {
      return sendHtml(res, indexPage([...articles.values()], indexVersion));
    }
    if (path === EVENTS_URL) {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write('retry: 1000\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (path === `${DEV_PREFIX}/status.json`) {
      const status = [...articles.values()].map(({ source, slug, title, status, version, preflight, messages }) => ({
        source,
        slug,
        title,
        status,
        version,
        url: articleUrl(slug),
        preflight,
        messages,
      }));
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify({ articles: status }));
      return;
    }
    if (path.startsWith(`${DEV_PREFIX}/`)) {
      req.url = path.slice(DEV_PREFIX.length);
      devAssets(req, res, () => notFound(res));
      return;
    }
    const file = /^\/_files\/(\d+)(\/.*)$/.exec(path);
    if (file?.[1] && file[2]) return roots.serve(Number(file[1]), file[2], req, res);
    const article = /^\/article\/([^/]+)\/?$/.exec(path);
    if (article?.[1]) {
      const slug = decodeURIComponent(article[1]);
      const state = [...articles.values()].find((entry) => entry.slug === slug);
      if (!state) return sendHtml(res, indexPage([...articles.values()], indexVersion), 404);
      // The first request waits for the first layout; later ones get the last good page at once.
      if (!state.html && state.status === 'building') await state.ready;
      if (state.html) return sendHtml(res, articlePage(state.html, state, faultsOf(state.preflight)));
      return sendHtml(res, errorPage(state, state.report ?? 'not laid out yet'));
    }
    notFound(res);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`dev server: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('the dev server failed on this request; see its terminal\n');
    });
  });
  // Keep the event streams alive through proxies and idle timeouts.
  const heartbeat = setInterval(() => {
    for (const stream of streams) stream.write(': keep-alive\n\n');
  }, 15_000);
  heartbeat.unref();

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((listening, fail) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      fail(
        error.code === 'EADDRINUSE'
          ? new UsageError(`port ${options.port ?? DEFAULT_DEV_PORT} on ${host} is in use; pick another with --port N (0: any free port)`)
          : error,
      );
    });
    server.listen(options.port ?? DEFAULT_DEV_PORT, host, listening);
  }).catch(async (error: unknown) => {
    closed = true;
    await watcher.close();
    if (ownSession) await session.close();
    throw error;
  });
  const port = (server.address() as AddressInfo).port;
  // Layouts start once the server listens: a server that cannot start launches no browser.
  for (const source of sources) schedule(source, 0);

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    port,
    session,
    settled: async () => {
      // Debounced saves become pending work a moment later.
      while (timers.size > 0 || worker) {
        await worker;
        if (timers.size > 0) await new Promise((resolve) => setTimeout(resolve, debounceMs + 10));
      }
    },
    close: () =>
      (closing ??= (async () => {
        closed = true;
        clearInterval(heartbeat);
        for (const timer of timers.values()) clearTimeout(timer);
        timers.clear();
        pending.clear();
        await watcher.close();
        for (const stream of streams) stream.end();
        streams.clear();
        await new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        });
        if (ownSession) await session.close();
        // A layout in flight usually fails as its browser goes, but Puppeteer's newPage can wait forever
        // on a browser closed under it: give it a moment, then leave it.
        await Promise.race([worker?.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
        for (const state of articles.values()) state.markReady();
      })()),
  };
}
