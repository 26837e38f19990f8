// Build orchestration: every article goes load → transform → layout → print →
// epub, then its outputs are published together, or not at all.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import pLimit from 'p-limit';
import { VFile } from 'vfile';
import { VFileMessage } from 'vfile-message';
import { loadArticle, loadConfig, slugFromPath, type Article } from '../content/load.js';
import { deckSummary, type ProjectConfig } from '../content/schema.js';
import { loadTemplate, relativeUrl, renderPage, withLaidOutBody, type Template } from '../layout/index.js';
import { COPYFIT_MAX_CHARS, limitCopyfit } from '../layout/large-article.js';
import { epubPhotos, preparePhotos, withPreparedPhotos } from '../layout/photos.js';
import { BrowserCrashError, BrowserSession, PageTimeoutError, preflight, printPage, type PageStart, type Preflight, type PrintProgress, type RemoteImages } from '../print/index.js';
import { createArticleProcessor, transformArticle, type ArticleProcessor } from '../transform/index.js';
import { PRESSWORK_VERSION } from '../version.js';
import { writeAllOrNone, WriteError } from './atomic.js';
import { articleKey, buildFingerprint, reusable } from './cache.js';
import { makeManifest, readPreviousManifest, writeManifest, type ManifestArticle, type ManifestEdition } from './manifest.js';
import { remoteSession } from './remote-browser.js';
import { inShard, type Shard } from './shard.js';
import { lockOutput } from './lock.js';
import { onShutdown, signalsHandled } from './shutdown.js';
import { collectSources, UsageError } from './sources.js';
import { buildEdition, findEditions, loadEditions, takeEditionHeads, type EditionReport } from './edition.js';
import { pathInside } from '../paths.js';

import type { Format } from './formats.js';

export { FORMATS, type Format } from './formats.js';

export type OutputRecord = {
  path: string;
  bytes: number;
  sha256: string;
  pages?: number;
  /** The previews of pages 2, 3, … (`<slug>-2.png` …). */
  more?: Array<{ path: string; bytes: number; sha256: string }>;
  /** EPUB: the embedded font subsets (files, bytes before compression). */
  fonts?: { files: number; bytes: number };
  /** EPUB: the packed photos and images (files, bytes). */
  images?: { files: number; bytes: number };
};

/** Beyond this an article is not a newspaper article: the build refuses it rather than print a book. */
const MAX_PAGES = 1000;

export type MessageRecord = {
  severity: 'error' | 'warning' | 'info';
  rule: string;
  message: string;
  line?: number;
  column?: number;
};

export interface ArticleReport {
  source: string;
  slug: string;
  title?: string;
  ok: boolean;
  /** Unchanged since the last build: its outputs were kept, not rebuilt. */
  cached?: boolean;
  /** The inputs' hash this article was built from (see cache.ts). */
  cacheKey?: string;
  outputs: Partial<Record<Format, OutputRecord>>;
  preflight?: Preflight;
  messages: MessageRecord[];
  /** The vfile with every message, for the terminal report. */
  file: VFile;
}

export interface ArticleEvent {
  /** Position of the article in the build's (sorted) list. */
  index: number;
  total: number;
  /** Articles finished so far, this one included when `phase` is 'done'. */
  done: number;
  source: string;
  /** 'progress': the article is under way, as far as `progress` says. */
  phase: 'start' | 'progress' | 'done';
  report?: ArticleReport;
  progress?: ArticleProgress;
}

/** Where one article's build has got to: a stage of its print, or the EPUB. */
export type ArticleProgress = PrintProgress | { stage: 'epub' };

export interface BuildOptions {
  paths: string[];
  /** Project folder: config, default content folder. */
  cwd: string;
  outDir: string;
  formats: Format[];
  /** false: lay out and preflight only (`presswork check`). */
  write: boolean;
  onArticle?: (event: ArticleEvent) => void;
  /** Receives each article's pages as laid out (the `<body>` of the print page), e.g. for a live preview. */
  onLaidOut?: (event: { source: string; laidOut: string; bodySize: number; leading: number }) => void;
  /** Articles printed at once, each on its own page of the one browser; default: the number of CPUs. */
  concurrency?: number;
  /** false: rebuild every article even when its inputs are unchanged. Default true. */
  cache?: boolean;
  /** Build only this share of the articles (1-based index of count). */
  shard?: Shard;
  /** Print on this already running Chrome (DevTools WebSocket URL) instead of launching one. */
  browserWSEndpoint?: string;
  /** The browser to print with; default: one launched (or, with browserWSEndpoint, connected to) for this build and let go after it. */
  session?: BrowserSession;
  /** Time limit per article for layout and printing, in ms (default: defaultArticleTimeoutMs of its length, 180 s for most). */
  articleTimeoutMs?: number;
  /** Fetch remote images within these limits (`--allow-remote`); default: block them. */
  remoteImages?: RemoteImages;
  /** How long to wait for another build writing to the same output folder (ms; default 60 s, 0: refuse at once). */
  lockWaitMs?: number;
  /** Called when the output folder is locked by another build and this one starts waiting. */
  onLockWait?: () => void;
}

export const DEFAULT_ARTICLE_TIMEOUT_MS = 180_000;

/**
 * The default time limit grows with the text: 180 s for every 200,000 characters (the copyfit's
 * limit) or part of them, so a 5 MB wire dump gets time for its hundreds of pages and a page
 * that never settles is still stopped.
 */
export function defaultArticleTimeoutMs(chars: number): number {
  return DEFAULT_ARTICLE_TIMEOUT_MS * Math.max(1, Math.ceil(chars / COPYFIT_MAX_CHARS));
}

export const DEFAULT_LOCK_WAIT_MS = 60_000;

export interface BuildReport {
  articles: ArticleReport[];
  manifestPath?: string;
  /** Output folders of articles that no longer exist, removed by this build (relative to outDir). */
  removed: string[];
  /** The editions (edition.yml) found among the paths, in path order. */
  editions: EditionReport[];
}

/** Everything a build shares between its articles: made once. */
interface BuildContext {
  config: ProjectConfig;
  template: Template;
  processor: ArticleProcessor;
  session: BrowserSession;
  /** Work folders of the articles in progress, removed on Ctrl-C / SIGTERM too. */
  workDirs: Set<string>;
  /** Set on Ctrl-C / SIGTERM: no further article starts and no manifest is written. */
  stopping: boolean;
  sourceDateEpoch: number | undefined;
  options: BuildOptions;
}

/** An article file after loading: its front matter read, or the messages that say why not. */
type Loaded = { source: string; article: Article; file: VFile } | { source: string; article?: undefined; file: VFile };

export function defaultConcurrency(): number {
  return Math.max(1, availableParallelism());
}

export async function build(options: BuildOptions): Promise<BuildReport> {
  const found = await findEditions(options.paths, options.cwd);
  const sources = found.articlePaths.length > 0 || found.editions.length === 0 ? await collectSources(found.articlePaths, options.cwd) : [];
  const config = loadConfig(options.cwd);
  // An edition's articles are built as articles too, wherever edition.yml finds them.
  const editions = await loadEditions(found.editions, config.layout);
  for (const { edition } of editions) {
    for (const page of edition?.pages ?? []) for (const entry of page.articles) if (!sources.includes(entry.source)) sources.push(entry.source);
  }
  const template = loadTemplate();
  const processor = createArticleProcessor();
  const epoch = sourceDateEpoch();
  const concurrency = options.concurrency ?? defaultConcurrency();
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError(`--concurrency must be a whole number of at least 1 (got ${concurrency})`);

  // Every article is loaded before any is printed: slugs must be known to find duplicates, and keys to skip unchanged ones.
  const loadLimit = pLimit(16);
  const loaded = await Promise.all(sources.map((source) => loadLimit(() => load(source, config))));
  markDuplicateSlugs(
    loaded.flatMap((entry) => (entry.article ? [{ slug: entry.article.slug, path: entry.source, file: entry.file }] : [])),
    options.cwd,
    { what: 'slug', fix: '`slug:` in the front matter or rename its file' },
  );
  const bySource = new Map(loaded.map((entry) => [entry.source, entry]));
  const editionHeads = takeEditionHeads(editions, (source) => bySource.get(source)?.article);
  const shard = options.shard;
  const share = shard ? loaded.filter((entry) => inShard(displayPath(options.cwd, entry.source), shard)) : loaded;

  // One build at a time writes to an output folder: taken before the previous manifest is read, held until the new one is written.
  const release = options.write
    ? await lockOutput(options.outDir, { waitMs: options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS, onWait: options.onLockWait })
    : undefined;
  // The session launches its browser on first use: a build whose articles are all cached or failed starts none.
  const session =
    options.session ??
    (options.browserWSEndpoint !== undefined ? remoteSession(options.browserWSEndpoint) : new BrowserSession({ handleSignals: !signalsHandled() }));
  const context: BuildContext = {
    config,
    template,
    processor,
    session,
    workDirs: new Set(),
    stopping: false,
    sourceDateEpoch: epoch,
    options,
  };
  const unregister = onShutdown(async () => {
    context.stopping = true;
    await Promise.all([
      session.close({ kill: true }),
      ...[...context.workDirs].map((dir) => rm(dir, { recursive: true, force: true })),
      release?.(),
    ]);
  });
  const result: BuildReport = { articles: [], removed: [], editions: [] };
  try {
    const manifestPath = join(options.outDir, 'manifest.json');
    // Keys are recorded on every build that writes; --no-cache only stops their reuse.
    const useCache = options.write && options.cache !== false;
    const previous = options.write ? await readPreviousManifest(manifestPath) : undefined;
    const previousBySource = new Map((previous?.articles ?? []).map((article) => [article.source, article]));
    const fingerprint = options.write
      ? buildFingerprint({
          cwd: options.cwd,
          template,
          formats: options.formats,
          sourceDateEpoch: epoch,
          remoteImages: options.remoteImages,
          browserWSEndpoint: options.browserWSEndpoint,
          outDir: options.outDir,
        })
      : '';
    const pool = pLimit(concurrency);
    const keyOf = (entry: Loaded) =>
      entry.article && options.write
        ? articleKey(`${fingerprint}${editionHeads.get(entry.source) ?? ''}`, entry.article, {
            remoteImages: options.remoteImages !== undefined,
            outDir: options.formats.includes('html') ? options.outDir : undefined,
          })
        : Promise.resolve(undefined);
    let done = 0;
    const total = share.length;
    const runOne = async (entry: Loaded, index: number): Promise<ArticleReport> => {
      const key = await keyOf(entry);
      const before = previousBySource.get(displayPath(options.cwd, entry.source));
      // An article that failed at load (a slug another article also takes) is reported as failed, never as cached.
      const loadedOk = !entry.file.messages.some((message) => message.fatal);
      if (useCache && loadedOk && entry.article && key && before?.slug === entry.article.slug && (await reusable(before, key, options.outDir, options.formats))) {
        options.onArticle?.({ index, total, done, source: entry.source, phase: 'start' });
        const report = cachedReport(entry, before);
        options.onArticle?.({ index, total, done: ++done, source: entry.source, phase: 'done', report });
        return report;
      }
      return pool(async () => {
        if (context.stopping) throw new Error('the build was interrupted');
        options.onArticle?.({ index, total, done, source: entry.source, phase: 'start' });
        const report = await buildOne(entry, context, (progress) => options.onArticle?.({ index, total, done, source: entry.source, phase: 'progress', progress }));
        if (key && report.ok) report.cacheKey = key;
        options.onArticle?.({ index, total, done: ++done, source: entry.source, phase: 'done', report });
        return report;
      });
    };
    result.articles = await Promise.all(share.map((entry, index) => runOne(entry, index)));
    // Editions after their articles: an article that failed fails its edition, named at its line.
    const articleSlugs = new Map(loaded.flatMap((entry) => (entry.article ? [[entry.article.slug, displayPath(options.cwd, entry.source)] as const] : [])));
    markDuplicateSlugs(
      editions.flatMap((entry) => (entry.edition ? [{ slug: entry.edition.slug, path: entry.path, file: entry.file }] : [])),
      options.cwd,
      { what: 'edition slug', fix: '`slug:`' },
    );
    for (const entry of editions) {
      if (context.stopping || (shard && !inShard(displayPath(options.cwd, entry.path), shard))) continue;
      result.editions.push(
        await buildEdition(
          entry,
          {
            article: (source) => {
              const article = bySource.get(source);
              return article && { article: article.article, file: article.file, ok: !article.file.messages.some((message) => message.fatal) };
            },
          },
          {
            cwd: options.cwd,
            outDir: options.outDir,
            formats: options.formats,
            write: options.write,
            template,
            processor,
            session,
            concurrency,
            sourceDateEpoch: epoch,
            timeoutMs: options.articleTimeoutMs ?? DEFAULT_ARTICLE_TIMEOUT_MS,
            remoteImages: options.remoteImages,
            workDirs: context.workDirs,
            articleSlugs,
            display: (path) => displayPath(options.cwd, path),
            articleKey: async (source) => {
              const article = bySource.get(source);
              return article ? keyOf(article) : undefined;
            },
            previous: useCache ? previous?.editions?.find((before) => before.source === displayPath(options.cwd, entry.path)) : undefined,
          },
        ),
      );
    }
    // Ctrl-C / SIGTERM: the process exits as soon as its clean-up is done; no manifest for a build cut short.
    if (context.stopping) throw new Error('the build was interrupted');
    if (options.write) {
      // A shard's folder holds its share alone: an article that moved to another shard leaves it, as a deleted one does.
      result.removed = await removeStaleOutputs(previous?.articles ?? [], options.shard ? share : loaded, options, { keepUnbuilt: !options.shard });
      const articles = result.articles.map(toManifestArticle);
      // A build of some of the articles (`presswork build content/a.md`) keeps the others' entries: their
      // outputs are still in the folder, and an entry is what removes them once their article is deleted.
      if (!options.shard) articles.push(...unbuilt(previous?.articles ?? [], articles, result.removed, options.cwd));
      await writeManifest(manifestPath, makeManifest(articles, options.shard, result.editions.map(toManifestEdition)));
      result.manifestPath = manifestPath;
    }
  } finally {
    if (!options.session) await session.close();
    unregister();
    await release?.();
  }
  return result;
}

async function load(source: string, config: ProjectConfig): Promise<Loaded> {
  try {
    const article = await loadArticle(source, config);
    return { source, article, file: article.file };
  } catch (error) {
    const file = new VFile({ path: source });
    if (error instanceof VFileMessage) file.messages.push(error);
    else fatal(file, error instanceof Error ? error.message : String(error), 'load');
    return { source, file };
  }
}

/** Articles (or editions) that would write one folder: each fails, its message naming all of them and the fix. */
function markDuplicateSlugs(entries: Array<{ slug: string; path: string; file: VFile }>, cwd: string, words: { what: string; fix: string }): void {
  const bySlug = new Map<string, typeof entries>();
  for (const entry of entries) bySlug.set(entry.slug, [...(bySlug.get(entry.slug) ?? []), entry]);
  for (const [slug, same] of bySlug) {
    if (same.length < 2) continue;
    const names = same.map((entry) => displayPath(cwd, entry.path));
    for (const entry of same) fatal(entry.file, `the ${words.what} "${slug}" is used by ${names.join(' and ')}; both would write ${slug}/ — give one of them its own ${words.fix}`, 'duplicate-slug');
  }
}

/**
 * Output folders of articles that are gone: in the last manifest, but their slug
 * is no article's now and their source was deleted, renamed or re-slugged.
 * Only folders the manifest named are removed, never anything else in outDir.
 */
async function removeStaleOutputs(previous: ManifestArticle[], loaded: Loaded[], options: BuildOptions, { keepUnbuilt }: { keepUnbuilt: boolean }): Promise<string[]> {
  const slugs = new Set(loaded.flatMap((entry) => (entry.article ? [entry.article.slug] : [])));
  const sources = new Set(loaded.map((entry) => displayPath(options.cwd, entry.source)));
  // An article whose front matter broke still exists: its last good outputs stay until it is fixed or deleted.
  const unreadable = new Set(loaded.flatMap((entry) => (entry.article ? [] : [displayPath(options.cwd, entry.source)])));
  const removed: string[] = [];
  for (const article of previous) {
    if (slugs.has(article.slug) || unreadable.has(article.source) || !isPlainSlug(article.slug)) continue;
    const source = resolve(options.cwd, article.source);
    if (keepUnbuilt && !sources.has(article.source) && existsSync(source)) continue; // still there, just not part of this build
    await rm(join(options.outDir, article.slug), { recursive: true, force: true });
    removed.push(article.slug);
  }
  return removed;
}

/** The last manifest's entries of articles that still exist and were not built this time (nor took a slug this build wrote). */
function unbuilt(previous: ManifestArticle[], built: ManifestArticle[], removed: string[], cwd: string): ManifestArticle[] {
  const sources = new Set(built.map((article) => article.source));
  const slugs = new Set(built.map((article) => article.slug));
  return previous.filter(
    (article) => !sources.has(article.source) && !slugs.has(article.slug) && !removed.includes(article.slug) && existsSync(resolve(cwd, article.source)),
  );
}

function isPlainSlug(slug: string): boolean {
  return slug !== '' && slug !== '.' && slug !== '..' && !/[\\/]/.test(slug);
}

function cachedReport(entry: Loaded, before: ManifestArticle): ArticleReport {
  const file = new VFile({ path: entry.source });
  // The last build's warnings still hold for the unchanged article: report them again.
  for (const message of before.messages) {
    const place = message.line ? { line: message.line, column: message.column ?? 1 } : undefined;
    const made = file.message(message.message, { place, ruleId: message.rule, source: 'presswork' });
    made.fatal = message.severity === 'error' ? true : message.severity === 'warning' ? false : undefined;
  }
  return {
    source: before.source,
    slug: before.slug,
    title: before.title,
    ok: true,
    cached: true,
    cacheKey: before.cacheKey,
    outputs: before.outputs,
    preflight: before.preflight as Preflight | undefined,
    messages: before.messages,
    file,
  };
}

function toManifestEdition({ file: _file, ...edition }: EditionReport): ManifestEdition {
  return edition;
}

function toManifestArticle({ file: _file, preflight: checks, ...article }: ArticleReport): ManifestArticle {
  // Preflight is the print stage's interface; the manifest schema keeps its core fields and lets the rest through.
  return { ...article, ...(checks ? { preflight: checks as unknown as ManifestArticle['preflight'] } : {}) };
}

async function buildOne(entry: Loaded, context: BuildContext, onProgress: (progress: ArticleProgress) => void): Promise<ArticleReport> {
  const { options } = context;
  const { source } = entry;
  const { file, article } = entry;
  const report = (extra: Partial<ArticleReport>): ArticleReport => ({
    source: displayPath(options.cwd, source),
    // An article whose front matter failed is named by its file's stem, the slug it would most likely get.
    slug: article?.slug ?? slugFromPath(source),
    title: article?.frontMatter.headline,
    ok: !file.messages.some((message) => message.fatal),
    outputs: {},
    messages: file.messages.map(toRecord),
    file,
    ...extra,
  });
  if (!article || file.messages.some((message) => message.fatal)) return report({});

  const workDir = await mkdtemp(join(tmpdir(), 'presswork-'));
  context.workDirs.add(workDir);
  // Page 1's preview, for an EPUB made while the page prints; a print that fails lets that EPUB go.
  let settleCover: { resolve: (png: Uint8Array) => void; reject: (reason: Error) => void } | undefined;
  const cover = new Promise<Uint8Array>((resolve, reject) => {
    settleCover = { resolve, reject };
  });
  cover.catch(() => undefined);
  try {
    const tree = await transformArticle(context.processor, file);
    // Photos checked first: a missing one becomes an empty frame, a huge one a scaled copy in the work folder.
    const photos = await preparePhotos(article.frontMatter.photos ?? [], file, workDir);
    const { doc, reason: plainContinuation, chars } = limitCopyfit(renderPage(article, withPreparedPhotos(tree, photos, 'print'), context.template), tree);
    if (plainContinuation) file.info(plainContinuation, { ruleId: 'large-article', source: 'presswork' });
    const wants = (format: Format) => options.write && options.formats.includes(format);
    // The copyfit happens in the browser: the page HTML needs it as much as the PDF does;
    // the EPUB takes its cover and page breaks from the print, so it is the same whatever else is built.
    const needsBrowser = !options.write || wants('pdf') || wants('png') || wants('html') || wants('epub');
    // The EPUB is made while the browser prints the PDF and the previews: it needs only where the pages
    // break, and its cover waits for page 1's preview. Its warnings wait in a file of its own until the
    // print is through, so the article's messages keep the pipeline's order.
    const makeEpub = async (pageStarts: PageStart[], png: Uint8Array | Promise<Uint8Array>) => {
      const epubFile = new VFile({ path: source });
      const shown = await epubPhotos(tree, photos, dirname(source));
      // The EPUB maker (subset-font, fontkit, sharp, fflate) loads while the page prints, not before Chromium can start on it.
      const { buildEpub } = await import('../epub/index.js');
      const epub = await buildEpub({
        ...shown,
        frontMatter: article.frontMatter,
        slug: article.slug,
        sectionHeads: file.data.sectionHeads ?? [],
        runningHead: article.runningHead,
        creator: `presswork ${PRESSWORK_VERSION}`,
        sourceDateEpoch: context.sourceDateEpoch,
        fonts: context.template.fonts,
        print: { png, pageStarts },
        file: epubFile,
      });
      return { epub, messages: epubFile.messages };
    };
    let early: { pageStarts: PageStart[]; made: ReturnType<typeof makeEpub> } | undefined;
    // Loaded while Chromium opens the page, when node has little else to do.
    if (wants('epub')) import('../epub/index.js').catch(() => undefined);
    const printed = needsBrowser
      ? await printPage(context.session, doc, {
          workDir,
          allowedRoots: [context.template.dir, dirname(source), ...context.template.fonts.map((font) => dirname(font.cssPath))],
          metadata: pdfMetadata(article, context.sourceDateEpoch),
          fit: { bodySize: doc.geometry.bodySize, leading: doc.geometry.leading, folio: doc.folio, maxPages: MAX_PAGES },
          render: wants('pdf') || wants('png') || wants('epub'),
          outputs: { pdf: wants('pdf'), previews: wants('png') ? 'all' : wants('epub') ? 'first' : 'none' },
          timeoutMs: options.articleTimeoutMs ?? defaultArticleTimeoutMs(chars),
          remoteImages: options.remoteImages,
          onProgress,
          // A retried print (after a crash) fits the same way; the first fit's EPUB is kept only if its pages match the print's.
          onFitted: wants('epub')
            ? (fit) => {
                early ??= { pageStarts: fit.pageStarts, made: makeEpub(fit.pageStarts, cover) };
                early.made.catch(() => undefined);
              }
            : undefined,
          onPreview: (page, png) => {
            if (page === 1) settleCover?.resolve(png);
          },
          onRetry: (error) =>
            file.info(`the browser crashed while printing this article (${error.message}); it was restarted and the article printed again`, {
              ruleId: 'browser-restart',
              source: 'presswork',
            }),
        })
      : undefined;
    if (printed) options.onLaidOut?.({ source, laidOut: printed.laidOut, bodySize: printed.fit.bodySize, leading: printed.fit.leading });
    for (const { url, reason } of printed?.blocked ?? []) {
      file.message(`not loaded: ${url.length > 120 ? `${url.slice(0, 120)}…` : url} — ${reason}`, {
        ruleId: 'blocked-request',
        source: 'presswork',
      });
    }
    const checks = printed ? preflight({ ...printed, fonts: context.template.fonts }) : undefined;
    if (checks && !checks.overflow.ok) {
      const where = checks.overflow.items.map((item) => item.page).join(', ');
      fatal(
        file,
        checks.pages >= MAX_PAGES
          ? `the article needs more than ${MAX_PAGES} ${doc.geometry.name} pages; split it into several articles`
          : `a block on page ${where} is taller than the page's columns and would be cut; make it smaller (a shorter table or code block, a smaller photo) or choose a larger preset`,
        'overflow',
      );
    }
    if (file.messages.some((message) => message.fatal)) return report({ preflight: checks });

    const outputs: ArticleReport['outputs'] = {};
    if (options.write) {
      const payloads: Array<[Format, Uint8Array, Partial<OutputRecord>?]> = [];
      if (wants('pdf') && printed) payloads.push(['pdf', printed.pdf, { pages: printed.fit.pages.length }]);
      if (wants('png') && printed) payloads.push(['png', printed.png]);
      if (wants('html')) {
        // The page as printed: at the settings the copyfit chose, over the pages it flowed to,
        // linking the original photos rather than the scaled print copies in the work folder.
        const assetUrl = relativeUrl(join(options.outDir, article.slug));
        const { html } = renderPage(article, withPreparedPhotos(tree, photos, 'original'), context.template, {
          bodySize: printed?.fit.bodySize,
          leading: printed?.fit.leading,
          assetUrl,
        });
        let laidOut = printed?.laidOut;
        for (const photo of photos) {
          if (laidOut !== undefined && photo.kind === 'file' && photo.print !== photo.original) {
            laidOut = laidOut.split(pathToFileURL(photo.print).href).join(pathToFileURL(photo.original).href);
          }
        }
        payloads.push(['html', new TextEncoder().encode(laidOut !== undefined ? withLaidOutBody(html, laidOut, assetUrl) : html)]);
      }
      if (wants('epub') && printed) {
        onProgress({ stage: 'epub' });
        settleCover?.resolve(printed.png);
        const sameBreaks = early !== undefined && JSON.stringify(early.pageStarts) === JSON.stringify(printed.fit.pageStarts);
        const { epub, messages } = sameBreaks && early ? await early.made : await makeEpub(printed.fit.pageStarts, printed.png);
        file.messages.push(...messages);
        payloads.push(['epub', epub.bytes, { pages: epub.pages, fonts: epub.fonts, images: epub.images }]);
      }
      // Only after every format is made does anything reach the output folder, and all of it or none:
      // a disk that fails half-way leaves no part of the article.
      const morePngs = wants('png') && printed ? printed.pngs.slice(1) : [];
      const pathOf = (name: string) => join(options.outDir, article.slug, name);
      try {
        await writeAllOrNone([
          ...payloads.map(([format, bytes]) => ({ path: pathOf(`${article.slug}.${format}`), bytes })),
          ...morePngs.map((bytes, index) => ({ path: pathOf(`${article.slug}-${index + 2}.png`), bytes })),
        ]);
      } catch (error) {
        if (!(error instanceof WriteError)) throw error;
        fatal(file, writeFailure(error, 'article', options.outDir), 'write');
        return report({ preflight: checks });
      }
      // An article that now prints on fewer pages leaves no preview of a page it no longer has.
      if (wants('png') && printed) await removePreviewsAfter(join(options.outDir, article.slug), article.slug, printed.pngs.length);
      for (const [format, bytes, extra] of payloads) {
        outputs[format] = {
          path: relative(options.outDir, pathOf(`${article.slug}.${format}`)),
          bytes: bytes.byteLength,
          sha256: sha256(bytes),
          ...extra,
        };
      }
      if (outputs.png && morePngs.length > 0) {
        const slug = article.slug;
        outputs.png.pages = morePngs.length + 1;
        outputs.png.more = morePngs.map((bytes, index) => ({
          path: `${slug}/${slug}-${index + 2}.png`,
          bytes: bytes.byteLength,
          sha256: sha256(bytes),
        }));
      }
    }
    return report({ outputs, preflight: checks });
  } catch (error) {
    if (error instanceof VFileMessage) {
      // Thrown by file.fail on the article's own vfile, or on one the loader made before `file` was set.
      if (!file.messages.includes(error)) file.messages.push(error);
    } else if (error instanceof PageTimeoutError) {
      fatal(file, error.message, 'timeout');
    } else if (error instanceof BrowserCrashError) {
      fatal(file, error.message, 'browser-crash');
    } else {
      fatal(file, error instanceof Error ? error.message : String(error), 'build');
    }
    return report({});
  } finally {
    settleCover?.reject(new Error('the article was not printed'));
    await rm(workDir, { recursive: true, force: true });
    context.workDirs.delete(workDir);
  }
}

function pdfMetadata(article: Article, sourceDateEpoch: number | undefined) {
  const { frontMatter } = article;
  return {
    title: frontMatter.headline,
    authors: frontMatter.authors ?? [],
    subject: frontMatter.deck === undefined ? undefined : deckSummary(frontMatter.deck),
    // Sample values from the config are placeholders, not metadata to archive.
    keywords: (['section', 'paper'] as const).filter((key) => !article.runningHead.sampleFields.includes(key)).map((key) => article.runningHead[key]).filter((value): value is string => Boolean(value)),
    lang: frontMatter.lang,
    creator: `presswork ${PRESSWORK_VERSION}`,
    sourceDateEpoch,
  };
}

/** Removes `<slug>-N.png` for every N past `pages` in `folder`: previews of pages an earlier build printed. */
async function removePreviewsAfter(folder: string, slug: string, pages: number): Promise<void> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const pattern = new RegExp(`^${slug.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d+)\\.png$`);
  await Promise.all(names.filter((name) => Number(pattern.exec(name)?.[1] ?? 0) > pages).map((name) => rm(join(folder, name), { force: true })));
}

/** SOURCE_DATE_EPOCH, read once per build; a malformed one is refused, never silently ignored. */
export function sourceDateEpoch(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = env.SOURCE_DATE_EPOCH;
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`SOURCE_DATE_EPOCH must be whole seconds since 1970 (got "${value}")`);
  return Number(value);
}

/** What to tell the user when an article's or an edition's files could not all be written. */
export function writeFailure(error: WriteError, what: 'article' | 'edition', outDir: string): string {
  return `could not write ${error.path} (${error.message}); nothing of this ${what} was left in ${outDir} — check the free space and permissions there, then build again`;
}

/** Relative to the project when inside it, else absolute. */
function displayPath(cwd: string, path: string): string {
  return pathInside(cwd, path) || path;
}

/** The hex SHA-256 an output's manifest record carries. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** An error that fails this article (and only this one). */
export function fatal(file: VFile, reason: string, ruleId: string): void {
  file.message(reason, { ruleId, source: 'presswork' }).fatal = true;
}

export function toRecord(message: VFileMessage): MessageRecord {
  return {
    severity: message.fatal ? 'error' : message.fatal === false ? 'warning' : 'info',
    rule: message.ruleId ?? 'presswork',
    message: message.reason,
    ...(message.line ? { line: message.line } : {}),
    ...(message.column ? { column: message.column } : {}),
  };
}
