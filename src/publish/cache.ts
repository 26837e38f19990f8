// Incremental builds: an article whose inputs hash to the key its last build
// recorded in the manifest, and whose outputs are still there, is not rebuilt.
// The key covers the source, its images, the template, the fonts, the config,
// presswork's version and the build options that change the bytes.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Article } from '../content/load.js';
import { CONFIG_FILE } from '../content/load.js';
import type { Template } from '../layout/index.js';
import { PRESSWORK_VERSION } from '../version.js';
import type { Format } from './formats.js';
import type { ManifestArticle } from './manifest.js';

export interface BuildFingerprintInput {
  cwd: string;
  template: Template;
  formats: Format[];
  sourceDateEpoch: number | undefined;
}

/** What every article of a build shares: hashed once per build. */
export function buildFingerprint({ cwd, template, formats, sourceDateEpoch }: BuildFingerprintInput): string {
  const hash = createHash('sha256');
  const add = (label: string, value: string | Uint8Array) => hash.update(`${label}\0`).update(value).update('\0');
  add('presswork', PRESSWORK_VERSION);
  add('formats', [...formats].sort().join(','));
  add('source-date-epoch', String(sourceDateEpoch ?? ''));
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

/** The article's key: the build's fingerprint, its source text and every local image it names. */
export async function articleKey(fingerprint: string, article: Article): Promise<string> {
  const hash = createHash('sha256').update(fingerprint).update('\0source\0').update(String(article.file.value));
  const dir = dirname(article.file.path ?? '.');
  for (const src of localImages(article)) {
    const path = resolve(dir, src);
    const bytes = await readFile(path).catch(() => undefined);
    hash.update(`\0image:${src}\0`).update(bytes ?? 'missing');
  }
  return hash.digest('hex');
}

/** Photo sources from the front matter and Markdown/HTML images in the body, without URLs. */
function localImages(article: Article): string[] {
  const text = String(article.file.value);
  const found = new Set<string>();
  for (const photo of article.frontMatter.photos ?? []) if (photo.src) found.add(photo.src);
  for (const match of text.matchAll(/!\[[^\]]*\]\(\s*<?([^)\s>]+)/g)) if (match[1]) found.add(match[1]);
  for (const match of text.matchAll(/<img\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/gi)) if (match[1]) found.add(match[1]);
  return [...found].filter((src) => !/^[a-z][a-z0-9+.-]*:/i.test(src)).sort();
}

/** A previous record is reusable when its key matches and every output it lists is still there at its size. */
export async function reusable(previous: ManifestArticle | undefined, key: string, outDir: string, formats: Format[]): Promise<boolean> {
  if (!previous || !previous.ok || previous.cacheKey !== key) return false;
  for (const format of formats) {
    const output = previous.outputs[format];
    if (!output) return false;
    const info = await stat(resolve(outDir, output.path)).catch(() => undefined);
    if (!info || info.size !== output.bytes) return false;
  }
  return true;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}
