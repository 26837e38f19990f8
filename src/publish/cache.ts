// Incremental builds: an article whose inputs hash to the key its last build
// recorded in the manifest, and whose outputs are still there, is not rebuilt.
// The key covers the source, its images, the template, the fonts, the config,
// presswork's version, the browser and the build options that change the
// bytes: formats, SOURCE_DATE_EPOCH, --allow-remote and its limits, and for
// the page HTML the output folder's place (its links are relative). Options
// that change no byte (--concurrency, --shard, --article-timeout, --no-cache,
// --json, --junit) are left out.
import type { Root as MdastRoot, RootContent as MdastNode } from 'mdast';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { Article } from '../content/load.js';
import { CONFIG_FILE } from '../content/load.js';
import type { Template } from '../layout/index.js';
import { hasUrlScheme } from '../layout/photos.js';
import { srcPath } from '../paths.js';
import { findBrowser, type RemoteImages } from '../print/index.js';
import { createArticleProcessor } from '../transform/index.js';
import { PRESSWORK_VERSION } from '../version.js';
import type { Format } from './formats.js';
import type { ManifestArticle } from './manifest.js';

export interface BuildFingerprintInput {
  cwd: string;
  template: Template;
  formats: Format[];
  sourceDateEpoch: number | undefined;
  /** `--allow-remote`: remote images are fetched within these limits. */
  remoteImages?: RemoteImages;
  /** `--browser-ws`: the Chrome that prints; otherwise the one this machine would launch. */
  browserWSEndpoint?: string;
  /** Where the outputs go: the page HTML links its stylesheets and fonts relative to it. */
  outDir?: string;
}

/** What every article of a build shares: hashed once per build. */
export function buildFingerprint({ cwd, template, formats, sourceDateEpoch, remoteImages, browserWSEndpoint, outDir }: BuildFingerprintInput): string {
  const hash = createHash('sha256');
  const add = (label: string, value: string | Uint8Array) => hash.update(`${label}\0`).update(value).update('\0');
  add('presswork', PRESSWORK_VERSION);
  add('formats', [...formats].sort().join(','));
  add('source-date-epoch', String(sourceDateEpoch ?? ''));
  add('allow-remote', remoteImages ? `${remoteImages.timeoutMs} ms, ${remoteImages.maxBytes} bytes` : 'no');
  add('browser', browserIdentity(browserWSEndpoint));
  if (outDir !== undefined && formats.includes('html')) {
    add('html-links', [template.dir, ...template.fonts.map((font) => dirname(font.cssPath))].map((target) => relative(resolve(outDir), target)).join('\n'));
  }
  const config = join(cwd, CONFIG_FILE);
  add('config', existsSync(config) ? readFileSync(config) : '');
  for (const file of filesUnder(template.dir)) add(`template:${file.slice(template.dir.length)}`, readFileSync(file));
  for (const font of template.fonts) {
    add(`font-css:${font.css}`, readFileSync(font.cssPath));
    // The font files are many and large: their names and sizes stand for their bytes (a package update changes both).
    for (const file of font.files) add(`font-file:${file.path}`, String(statSync(file.path, { throwIfNoEntry: false })?.size ?? 'missing'));
  }
  return hash.digest('hex');
}

/**
 * The article's key: the build's fingerprint, its source text and every local image it names;
 * undefined when the article cannot be cached. With --allow-remote an article that names a remote
 * image is always rebuilt: the image can change on its server at any time, and knowing whether it
 * did means fetching it, which is most of what rebuilding it costs in network and time.
 */
export async function articleKey(fingerprint: string, article: Article, options: { remoteImages?: boolean; outDir?: string } = {}): Promise<string | undefined> {
  const sources = imageSources(article);
  const remote = sources.filter((src) => /^https?:/i.test(src));
  if (options.remoteImages && remote.length > 0) return undefined;
  const hash = createHash('sha256').update(fingerprint).update('\0source\0').update(String(article.file.value));
  const dir = dirname(article.file.path ?? '.');
  // The page HTML links the article's photos relative to the output folder.
  if (options.outDir !== undefined) hash.update('\0folder\0').update(relative(resolve(options.outDir), resolve(dir)));
  for (const src of sources.filter((source) => !hasUrlScheme(source))) {
    // As written, or as the print reads a Markdown URL with escapes (`会场%20全景.jpg`).
    const bytes = (await readFile(resolve(dir, src)).catch(() => undefined)) ?? (await readFile(resolve(dir, srcPath(src))).catch(() => undefined));
    hash.update(`\0image:${src}\0`).update(bytes ?? 'missing');
  }
  return hash.digest('hex');
}

const markdown = createArticleProcessor();

/** Photo sources from the front matter, Markdown images (inline or by reference) and <img> in raw HTML, sorted. */
function imageSources(article: Article): string[] {
  const found = new Set<string>();
  for (const photo of article.frontMatter.photos ?? []) if (photo.src) found.add(photo.src);
  const definitions = new Map<string, string>();
  const references: string[] = [];
  const walk = (node: MdastRoot | MdastNode): void => {
    if (node.type === 'image') found.add(node.url);
    else if (node.type === 'imageReference') references.push(node.identifier);
    else if (node.type === 'definition') definitions.set(node.identifier, node.url);
    else if (node.type === 'html') for (const match of node.value.matchAll(/<img\b[^>]*\bsrc\s*=\s*["']?([^"'\s>]+)/gi)) if (match[1]) found.add(match[1]);
    if ('children' in node) for (const child of node.children) walk(child);
  };
  walk(markdown.parse(article.file) as MdastRoot);
  for (const identifier of references) {
    const url = definitions.get(identifier);
    if (url !== undefined) found.add(url);
  }
  return [...found].filter((src) => src !== '').sort();
}

/** The Chrome that prints, as far as it can be known without starting it: a different build draws different bytes. */
function browserIdentity(endpoint: string | undefined): string {
  if (endpoint !== undefined) {
    try {
      return `remote ${new URL(endpoint).host}`;
    } catch {
      return `remote ${endpoint}`;
    }
  }
  try {
    const path = realpathSync(findBrowser());
    const info = statSync(path);
    return `${path} ${info.size} ${info.mtimeMs}`;
  } catch {
    return 'none found';
  }
}

/** A previous record (an article's or an edition's) is reusable when its key matches and every output it lists is still there at its size. */
export async function reusable<F extends string>(
  previous: (Pick<ManifestArticle, 'ok' | 'cacheKey'> & { outputs: Partial<Record<F, OutputFile & { more?: unknown }>> }) | undefined,
  key: string,
  outDir: string,
  formats: readonly F[],
): Promise<boolean> {
  if (!previous || !previous.ok || previous.cacheKey !== key) return false;
  for (const format of formats) {
    const output = previous.outputs[format];
    if (!output) return false;
    // A preview of several pages lists the pages after the first under `more`: each must still be there too.
    for (const file of [output, ...((output.more as OutputFile[] | undefined) ?? [])]) {
      const info = await stat(resolve(outDir, file.path)).catch(() => undefined);
      if (!info || info.size !== file.bytes) return false;
    }
  }
  return true;
}

interface OutputFile {
  path: string;
  bytes: number;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}
