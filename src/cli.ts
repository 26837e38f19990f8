// The command line: the contract that scripts and CI rely on (DESIGN.md).
// Exit codes: 0 success, 1 a content or build error, 2 wrong usage.
import { resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { reporter } from 'vfile-reporter';
import type { ArticleReport, BuildReport } from './index.js';
import { writeAtomic } from './publish/atomic.js';
import { DEFAULT_REMOTE_IMAGES } from './print/request-guard.js';
import { FORMATS, type Format } from './publish/formats.js';
import { createProgress } from './publish/progress.js';
import { parseShard, type Shard } from './publish/shard.js';
import { UsageError } from './publish/sources.js';
import { PRESSWORK_VERSION } from './version.js';

const EXIT_OK = 0;
const EXIT_CONTENT = 1;
const EXIT_USAGE = 2;

function parseFormats(value: string): Format[] {
  const formats = value.split(',').map((format) => format.trim()).filter(Boolean);
  const unknown = formats.filter((format) => !(FORMATS as readonly string[]).includes(format));
  if (unknown.length > 0 || formats.length === 0) {
    throw new InvalidArgumentError(`use one or more of ${FORMATS.join(', ')}, separated by commas (got "${value}")`);
  }
  return formats as Format[];
}

function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

function summary(report: ArticleReport): string {
  if (!report.ok) return 'failed';
  if (report.cached) return 'cached (unchanged)';
  const preflight = report.preflight;
  const parts = preflight ? [`${preflight.pages} page${preflight.pages === 1 ? '' : 's'}`, `body ${preflight.bodySize}pt`, `fill ${preflight.fill}`] : [];
  if (preflight && !preflight.ok) parts.push('preflight failed');
  const formats = Object.keys(report.outputs);
  if (formats.length > 0) parts.push(formats.join(' '));
  return parts.join(', ');
}

interface BuildFlags {
  out: string;
  format: Format[];
  json?: boolean;
  strict?: boolean;
  articleTimeout?: number;
  allowRemote?: boolean;
  waitLock?: number;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError(`give a port from 0 to 65535, 0 for any free one (got "${value}")`);
  return port;
}

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new InvalidArgumentError(`give a number of seconds above 0 (got "${value}")`);
  return seconds;
}

interface BatchOptions {
  concurrency?: number;
  cache?: boolean;
  shard?: Shard;
  browserWs?: string;
  junit?: string;
}

function parseConcurrency(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError(`a whole number of at least 1 (got "${value}")`);
  return number;
}

function parseShardOption(value: string): Shard {
  try {
    return parseShard(value);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}

function parseWait(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0) throw new InvalidArgumentError(`give a number of seconds, 0 or more (got "${value}")`);
  return seconds;
}

async function runBuild(
  paths: string[],
  options: BuildFlags & BatchOptions,
  write: boolean,
): Promise<number> {
  const cwd = process.cwd();
  const progress = createProgress(process.stderr, ({ source, report: done }) => {
    const name = source.startsWith(`${cwd}/`) ? source.slice(cwd.length + 1) : source;
    return done ? `${name}: ${summary(done)}` : name;
  });
  let report: BuildReport;
  // Ctrl-C / SIGTERM: close the browser and remove temporary files and the lock before exiting.
  const { handleSignals, onShutdown } = await import('./publish/shutdown.js');
  handleSignals(say);
  // Chromium starts before the pipeline's modules load (about 1 s each, side by side on two cores), not after.
  // A build whose articles all come from the cache closes it unused.
  const { BrowserSession } = await import('./print/browser-session.js');
  const session = options.browserWs === undefined ? new BrowserSession({ handleSignals: false }) : undefined;
  session?.warm();
  const unregister = session ? onShutdown(() => session.close({ kill: true })) : () => undefined;
  try {
    // The pipeline (Chromium, the EPUB maker) loads only when a command needs it: `import` and `--version` stay quick.
    const { build } = await import('./publish/build.js');
    report = await build({
      session,
      paths,
      cwd,
      outDir: resolve(cwd, options.out),
      formats: options.format,
      write,
      onArticle: progress.onArticle,
      ...(options.articleTimeout ? { articleTimeoutMs: options.articleTimeout * 1000 } : {}),
      concurrency: options.concurrency,
      cache: options.cache,
      shard: options.shard,
      browserWSEndpoint: options.browserWs,
      ...(options.allowRemote ? { remoteImages: DEFAULT_REMOTE_IMAGES } : {}),
      ...(options.waitLock !== undefined ? { lockWaitMs: options.waitLock * 1000 } : {}),
      onLockWait: () => say(`presswork: another build is writing to ${options.out}; waiting for it to finish (up to ${options.waitLock ?? 60} s)`),
    });
  } finally {
    progress.stop();
    // Killed, not asked to quit: its profile is thrown away, and a polite close costs ~0.3 s of waiting.
    await session?.close({ kill: true });
    unregister();
  }
  const messages = reporter([...report.articles, ...report.editions].map((entry) => entry.file), { quiet: true });
  if (messages) say(messages);
  const { preflightReport } = await import('./publish/preflight-report.js');
  for (const line of preflightReport(report.articles)) say(line);
  const failed = report.articles.filter((article) => !article.ok);
  const preflightFailed = report.articles.filter((article) => article.preflight && !article.preflight.ok);
  if (options.json) {
    const document = {
      ok: failed.length === 0 && report.editions.every((edition) => edition.ok) && (!options.strict || preflightFailed.length === 0),
      manifest: report.manifestPath,
      articles: report.articles.map(({ file: _file, ...article }) => article),
      ...(report.editions.length > 0 ? { editions: report.editions.map(({ file: _file, ...edition }) => edition) } : {}),
    };
    process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  }
  if (options.junit) {
    const { junitXml } = await import('./publish/junit.js');
    await writeAtomic(resolve(cwd, options.junit), new TextEncoder().encode(junitXml(report.articles, { strict: options.strict })));
  }
  for (const slug of report.removed) say(`removed ${slug}/: its article no longer exists`);
  if (report.manifestPath) say(`manifest: ${report.manifestPath}`);
  const cached = report.articles.filter((article) => article.cached).length;
  say(`${report.articles.length - failed.length - cached} built, ${cached} cached, ${failed.length} failed`);
  for (const edition of report.editions) {
    const formats = Object.keys(edition.outputs);
    say(`edition ${edition.source}: ${edition.ok ? `${edition.pages.length} page(s), ${edition.articles.length} article(s)${formats.length > 0 ? `, ${formats.join(' ')}` : ''}${edition.cached ? ' (cached: unchanged)' : ''}` : 'failed'}`);
  }
  const failedEditions = report.editions.filter((edition) => !edition.ok);
  if (failed.length > 0 || failedEditions.length > 0) {
    if (failed.length > 0) say(`${failed.length} of ${report.articles.length} article(s) failed: ${failed.map((article) => article.source).join(', ')}`);
    if (failedEditions.length > 0) say(`${failedEditions.length} edition(s) failed: ${failedEditions.map((edition) => edition.source).join(', ')}`);
    return EXIT_CONTENT;
  }
  if (options.strict && preflightFailed.length > 0) {
    say(`preflight failed (--strict): ${preflightFailed.map((article) => article.source).join(', ')}`);
    return EXIT_CONTENT;
  }
  return EXIT_OK;
}

export function createProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('presswork')
    .description('Chinese newspaper pages and EPUBs from Markdown articles')
    .version(PRESSWORK_VERSION, '-v, --version')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  program
    .command('build')
    .description('lay out, print and package articles into <out>/<slug>/ and <out>/manifest.json')
    .argument('[paths...]', 'article files or folders (default: content/)')
    .option('-o, --out <dir>', 'output folder', 'output')
    .addOption(new Option('-f, --format <list>', `formats to write: ${FORMATS.join(',')}`).argParser(parseFormats).default([...FORMATS], FORMATS.join(',')))
    .option('--json', 'print one JSON document on stdout (logs stay on stderr)')
    .option('--strict', 'exit 1 when any preflight check fails')
    .option('--article-timeout <seconds>', 'time limit for laying out and printing one article (default 180, and 180 more for every 200,000 characters past the first 200,000)', parseSeconds)
    .option('-j, --concurrency <n>', 'articles printed at once on one browser (default: number of CPUs)', parseConcurrency)
    .option('--no-cache', 'rebuild every article, even unchanged ones')
    .option('--shard <i/n>', 'build only share i of n (for parallel CI jobs; join with `presswork manifest merge`)', parseShardOption)
    .option('--browser-ws <url>', "print on a running Chrome at this DevTools WebSocket URL instead of launching one")
    .option('--junit <file>', 'also write the build and preflight results as JUnit XML')
    .option('--allow-remote', 'fetch remote (http/https) images, each within 10 s and 20 MB; without it they are blocked')
    .option('--wait-lock <seconds>', 'how long to wait while another build writes to the same output folder (default 60; 0 refuses at once)', parseWait)
    .action(async (paths: string[], options: BuildFlags & BatchOptions) => {
      setExitCode(await runBuild(paths, options, true));
    });

  program
    .command('check')
    .description('lay out and preflight articles without writing anything')
    .argument('[paths...]', 'article files or folders (default: content/)')
    .option('--json', 'print one JSON document on stdout')
    .option('--strict', 'exit 1 when any preflight check fails')
    .option('--article-timeout <seconds>', 'time limit for laying out one article (default 180, and 180 more for every 200,000 characters past the first 200,000)', parseSeconds)
    .option('-j, --concurrency <n>', 'articles laid out at once on one browser (default: number of CPUs)', parseConcurrency)
    .option('--shard <i/n>', 'check only share i of n', parseShardOption)
    .option('--browser-ws <url>', 'lay out on a running Chrome at this DevTools WebSocket URL')
    .option('--junit <file>', 'write the results as JUnit XML')
    .action(async (paths: string[], options: { json?: boolean; strict?: boolean; articleTimeout?: number } & BatchOptions) => {
      setExitCode(await runBuild(paths, { ...options, out: 'output', format: [] }, false));
    });

  program
    .command('dev')
    .description('preview articles in the browser as laid out for print; reloads on save and outlines preflight faults')
    .argument('[paths...]', 'article files or folders (default: content/)')
    .option('-p, --port <n>', 'port to listen on (0: any free port)', parsePort, 4000)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .action(async (paths: string[], options: { port: number; host: string }) => {
      const { runDev } = await import('./dev/command.js');
      setExitCode(await runDev(paths, options, say));
    });

  program
    .command('import')
    .description('turn a plain-text article into Markdown with front matter')
    .argument('<file>', 'plain-text article (UTF-8, GB18030/GBK or UTF-16)')
    .option('-o, --output <file>', 'write the Markdown here instead of stdout')
    .action(async (file: string, options: { output?: string }) => {
      const { importFile } = await import('./content/import-file.js');
      const result = await importFile(file);
      for (const line of result.report) say(line);
      if (options.output) await writeAtomic(options.output, new TextEncoder().encode(result.markdown));
      else process.stdout.write(result.markdown);
      setExitCode(EXIT_OK);
    });

  program
    .command('manifest')
    .description('work with build manifests')
    .command('merge')
    .description("join the manifests of a sharded build (--shard i/n) into one")
    .argument('<manifests...>', 'manifest.json files of the shards')
    .requiredOption('-o, --out <file>', 'where to write the merged manifest (output paths are made relative to it)')
    .option('--json', 'print the merged manifest on stdout too')
    .action(async (manifests: string[], options: { out: string; json?: boolean }) => {
      const { mergeManifests, ManifestError } = await import('./publish/manifest.js');
      try {
        const merged = await mergeManifests(manifests, resolve(options.out));
        if (options.json) process.stdout.write(`${JSON.stringify(merged, null, 2)}\n`);
        const failed = merged.articles.filter((article) => !article.ok);
        say(`merged ${manifests.length} manifest(s): ${merged.articles.length} article(s), ${failed.length} failed → ${options.out}`);
        setExitCode(failed.length > 0 ? EXIT_CONTENT : EXIT_OK);
      } catch (error) {
        if (!(error instanceof ManifestError)) throw error;
        say(`presswork: ${error.message}`);
        setExitCode(EXIT_CONTENT);
      }
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  let exitCode = EXIT_OK;
  const program = createProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successes; every other commander error is wrong usage.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      say(`presswork: ${error.message}`);
      return EXIT_USAGE;
    }
    const message = error instanceof Error ? error.message : String(error);
    say(`presswork: ${message}`);
    if (process.env.PRESSWORK_DEBUG && error instanceof Error && error.stack) say(error.stack);
    return EXIT_CONTENT;
  }
}
