// Build orchestration: every article goes load → transform → layout → print →
// epub, then its outputs are published together, or not at all.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { VFile } from 'vfile';
import { VFileMessage } from 'vfile-message';
import { loadArticle, loadConfig, type Article } from '../content/load.js';
import { deckSummary, type ProjectConfig } from '../content/schema.js';
import { buildEpub } from '../epub/index.js';
import { loadTemplate, relativeUrl, renderPage, type Template } from '../layout/index.js';
import { BrowserCrashError, BrowserSession, PageTimeoutError, preflight, printPage, type Preflight } from '../print/index.js';
import { createArticleProcessor, transformArticle, type ArticleProcessor } from '../transform/index.js';
import { PRESSWORK_VERSION } from '../version.js';
import { writeAtomic } from './atomic.js';
import { collectSources, UsageError } from './sources.js';

import type { Format } from './formats.js';

export { FORMATS, type Format } from './formats.js';

export interface OutputRecord {
  path: string;
  bytes: number;
  sha256: string;
  pages?: number;
}

export interface MessageRecord {
  severity: 'error' | 'warning' | 'info';
  rule: string;
  message: string;
  line?: number;
  column?: number;
}

export interface ArticleReport {
  source: string;
  slug: string;
  title?: string;
  ok: boolean;
  outputs: Partial<Record<Format, OutputRecord>>;
  preflight?: Preflight;
  messages: MessageRecord[];
  /** The vfile with every message, for the terminal report. */
  file: VFile;
}

export interface BuildOptions {
  paths: string[];
  /** Project folder: config, default content folder. */
  cwd: string;
  outDir: string;
  formats: Format[];
  /** false: lay out and preflight only (`presswork check`). */
  write: boolean;
  onArticle?: (event: { index: number; total: number; source: string; phase: 'start' | 'done'; report?: ArticleReport }) => void;
  /** The browser to print with; default: one launched for this build and closed after it. */
  session?: BrowserSession;
  /** Time limit per article for layout and printing, in ms (default 180 s). */
  articleTimeoutMs?: number;
}

export const DEFAULT_ARTICLE_TIMEOUT_MS = 180_000;

export interface BuildReport {
  articles: ArticleReport[];
  manifestPath?: string;
}

/** Everything a build shares between its articles: made once. */
interface BuildContext {
  config: ProjectConfig;
  template: Template;
  processor: ArticleProcessor;
  session: BrowserSession;
  sourceDateEpoch: number | undefined;
  options: BuildOptions;
}

export async function build(options: BuildOptions): Promise<BuildReport> {
  const sources = await collectSources(options.paths, options.cwd);
  const config = loadConfig(options.cwd);
  const template = loadTemplate();
  const processor = createArticleProcessor();
  // The session launches its browser on first use: a build that prints nothing starts none.
  const session = options.session ?? new BrowserSession();
  const context: BuildContext = {
    config,
    template,
    processor,
    session,
    sourceDateEpoch: sourceDateEpoch(),
    options,
  };
  const articles: ArticleReport[] = [];
  try {
    for (const [index, source] of sources.entries()) {
      options.onArticle?.({ index, total: sources.length, source, phase: 'start' });
      const report = await buildOne(source, context);
      articles.push(report);
      options.onArticle?.({ index, total: sources.length, source, phase: 'done', report });
    }
  } finally {
    if (!options.session) await session.close();
  }
  const result: BuildReport = { articles };
  if (options.write) result.manifestPath = await writeManifest(options.outDir, articles);
  return result;
}

async function buildOne(source: string, context: BuildContext): Promise<ArticleReport> {
  const { options } = context;
  let file = new VFile({ path: source });
  let article: Article | undefined;
  const report = (extra: Partial<ArticleReport>): ArticleReport => ({
    source: displayPath(options.cwd, source),
    slug: article?.slug ?? '',
    title: article?.frontMatter.headline,
    ok: !file.messages.some((message) => message.fatal),
    outputs: {},
    messages: file.messages.map(toRecord),
    file,
    ...extra,
  });

  const workDir = await mkdtemp(join(tmpdir(), 'presswork-'));
  try {
    article = await loadArticle(source, context.config);
    file = article.file;
    const tree = await transformArticle(context.processor, file);
    const doc = renderPage(article, tree, context.template);
    const wants = (format: Format) => options.write && options.formats.includes(format);
    // The copyfit happens in the browser: the page HTML needs it as much as the PDF does.
    const needsBrowser = !options.write || wants('pdf') || wants('png') || wants('html');
    const printed = needsBrowser
      ? await printPage(context.session, doc, {
          workDir,
          allowedRoots: [context.template.dir, dirname(source), ...context.template.fonts.map((font) => dirname(font.cssPath))],
          metadata: pdfMetadata(article, context.sourceDateEpoch),
          render: wants('pdf') || wants('png'),
          timeoutMs: options.articleTimeoutMs ?? DEFAULT_ARTICLE_TIMEOUT_MS,
          onRetry: (error) =>
            file.info(`the browser crashed while printing this article (${error.message}); it was restarted and the article printed again`, {
              ruleId: 'browser-restart',
              source: 'presswork',
            }),
        })
      : undefined;
    for (const url of printed?.blocked ?? []) {
      file.message(`the page tried to load ${url}; only files under the content, template and font folders are loaded`, {
        ruleId: 'blocked-request',
        source: 'presswork',
      });
    }
    const checks = printed ? preflight({ ...printed, fonts: context.template.fonts }) : undefined;
    if (checks && !checks.overflow.ok) {
      fatal(
        file,
        `the article does not fit one ${doc.geometry.name} page even at ${doc.geometry.bodySize.min}pt; shorten it or choose a larger preset (\`layout: { preset: broadsheet }\`)`,
        'overflow',
      );
    }
    if (file.messages.some((message) => message.fatal)) return report({ preflight: checks });

    const outputs: ArticleReport['outputs'] = {};
    if (options.write) {
      const payloads: Array<[Format, Uint8Array, number?]> = [];
      if (wants('pdf') && printed) payloads.push(['pdf', printed.pdf, printed.pages]);
      if (wants('png') && printed) payloads.push(['png', printed.png]);
      if (wants('html')) {
        // The page as printed: at the body size the copyfit chose.
        const { html } = renderPage(article, tree, context.template, {
          bodySize: printed?.fit.bodySize,
          assetUrl: relativeUrl(join(options.outDir, article.slug)),
        });
        payloads.push(['html', new TextEncoder().encode(html)]);
      }
      if (wants('epub')) {
        payloads.push([
          'epub',
          await buildEpub({
            tree,
            frontMatter: article.frontMatter,
            slug: article.slug,
            sectionHeads: file.data.sectionHeads ?? [],
            runningHead: article.runningHead,
            creator: `presswork ${PRESSWORK_VERSION}`,
            sourceDateEpoch: context.sourceDateEpoch,
          }),
        ]);
      }
      // Only after every format is made does anything reach the output folder.
      for (const [format, bytes, pages] of payloads) {
        const path = join(options.outDir, article.slug, `${article.slug}.${format}`);
        await writeAtomic(path, bytes);
        outputs[format] = {
          path: relative(options.outDir, path),
          bytes: bytes.byteLength,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          ...(pages !== undefined ? { pages } : {}),
        };
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
    await rm(workDir, { recursive: true, force: true });
  }
}

function pdfMetadata(article: Article, sourceDateEpoch: number | undefined) {
  const { frontMatter } = article;
  return {
    title: frontMatter.headline,
    authors: frontMatter.authors ?? [],
    subject: frontMatter.deck === undefined ? undefined : deckSummary(frontMatter.deck),
    keywords: [frontMatter.section, article.runningHead.paper].filter((value): value is string => Boolean(value)),
    lang: frontMatter.lang,
    creator: `presswork ${PRESSWORK_VERSION}`,
    sourceDateEpoch,
  };
}

/** SOURCE_DATE_EPOCH, read once per build; a malformed one is refused, never silently ignored. */
export function sourceDateEpoch(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = env.SOURCE_DATE_EPOCH;
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`SOURCE_DATE_EPOCH must be whole seconds since 1970 (got "${value}")`);
  return Number(value);
}

/** Relative to the project when inside it, else absolute. */
function displayPath(cwd: string, path: string): string {
  const inside = relative(cwd, path);
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : path;
}

/** An error that fails this article (and only this one). */
function fatal(file: VFile, reason: string, ruleId: string): void {
  file.message(reason, { ruleId, source: 'presswork' }).fatal = true;
}

function toRecord(message: VFileMessage): MessageRecord {
  return {
    severity: message.fatal ? 'error' : message.fatal === false ? 'warning' : 'info',
    rule: message.ruleId ?? 'presswork',
    message: message.reason,
    ...(message.line ? { line: message.line } : {}),
    ...(message.column ? { column: message.column } : {}),
  };
}

async function writeManifest(outDir: string, articles: ArticleReport[]): Promise<string> {
  const manifest = {
    generator: `presswork ${PRESSWORK_VERSION}`,
    articles: articles.map(({ file: _file, ...article }) => article),
  };
  const path = join(outDir, 'manifest.json');
  await writeAtomic(path, new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`));
  return path;
}
