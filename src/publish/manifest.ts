// output/manifest.json, the contract with CI: defined once in zod, from which
// come the reader's validation and the JSON Schema shipped in the package
// (manifest.schema.json). Fields may be added; these stay.
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { PRESSWORK_VERSION } from '../version.js';
import { writeAtomic } from './atomic.js';
import { FORMATS } from './formats.js';

/** Raised when the manifest's shape changes incompatibly; readers check it. */
export const MANIFEST_VERSION = 1;

const check = z.looseObject({ ok: z.boolean(), count: z.number().int().nonnegative(), items: z.array(z.string()) });

const outputSchema = z.looseObject({
  path: z.string().describe('relative to the manifest'),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  pages: z.number().int().positive().optional(),
  fonts: z
    .object({ files: z.number().int().nonnegative(), bytes: z.number().int().nonnegative() })
    .optional()
    .describe('EPUB: the embedded font subsets, and their bytes before zip compression'),
  images: z
    .object({ files: z.number().int().nonnegative(), bytes: z.number().int().nonnegative() })
    .optional()
    .describe('EPUB: the packed photos and images, and their bytes'),
});

const messageSchema = z.looseObject({
  severity: z.enum(['error', 'warning', 'info']),
  rule: z.string(),
  message: z.string(),
  line: z.number().int().positive().optional(),
  column: z.number().int().positive().optional(),
});

export const manifestArticleSchema = z.looseObject({
  source: z.string().describe('the article file, relative to the project folder when inside it'),
  slug: z.string(),
  title: z.string().optional(),
  ok: z.boolean().describe('false: the article failed and nothing of this build was written for it'),
  cached: z.boolean().optional().describe('true: unchanged since the last build, so not rebuilt'),
  cacheKey: z.string().optional().describe('hash of the source, its images, template, fonts, config and presswork version'),
  outputs: z.partialRecord(z.enum(FORMATS), outputSchema),
  preflight: z
    .looseObject({
      ok: z.boolean(),
      pages: z.number().int().nonnegative(),
      fill: z.number(),
      bodySize: z.number(),
      overflow: check,
      kinsoku: check,
      orphanLines: check,
      missingGlyphs: check,
    })
    .optional(),
  messages: z.array(messageSchema),
});

const boxSchema = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }).describe('mm from the page\'s top left corner');

export const manifestEditionSchema = z.looseObject({
  source: z.string().describe('the edition.yml file, relative to the project folder when inside it'),
  slug: z.string().describe('the edition\'s output folder and file stem'),
  title: z.string().optional().describe('《报名》YYYY年M月D日 第N期'),
  ok: z.boolean().describe('false: the edition failed and none of its files was written'),
  cached: z.boolean().optional().describe('true: edition.yml and its articles are unchanged since the last build, so it was not made again'),
  cacheKey: z.string().optional().describe('hash of edition.yml and of its articles\' cache keys'),
  paper: z.string().optional(),
  date: z.string().optional(),
  issue: z.number().int().positive().optional(),
  outputs: z.partialRecord(z.enum(['pdf', 'epub', 'png']), outputSchema),
  pages: z.array(
    z.looseObject({
      page: z.number().int().positive().describe('place in the edition, from 1'),
      label: z.string().describe('版次 as printed: 第1版, A01版'),
      section: z.string(),
      articles: z.array(
        z.looseObject({
          slug: z.string(),
          source: z.string(),
          box: boxSchema,
          bodySize: z.number(),
          leading: z.number(),
          fill: z.number(),
        }),
      ),
    }),
  ),
  articles: z.array(z.looseObject({ slug: z.string(), source: z.string(), page: z.number().int().positive() })).describe('the edition\'s articles in order, with their page'),
  messages: z.array(messageSchema),
});

export const manifestSchema = z.looseObject({
  $schema: z.string().optional(),
  version: z.literal(MANIFEST_VERSION),
  generator: z.string(),
  shard: z.object({ index: z.number().int().positive(), count: z.number().int().positive() }).optional(),
  articles: z.array(manifestArticleSchema),
  editions: z.array(manifestEditionSchema).optional().describe('editions built from an edition.yml: one PDF and one EPUB of the whole edition'),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestArticle = z.infer<typeof manifestArticleSchema>;
export type ManifestEdition = z.infer<typeof manifestEditionSchema>;

/** The JSON Schema of manifest.json, as shipped in `manifest.schema.json`. */
export function manifestJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(manifestSchema),
    $id: 'https://presswork.invalid/manifest.schema.json',
    title: 'presswork output manifest',
  };
}

export class ManifestError extends Error {
  override name = 'ManifestError';
}

/** Reads and validates a manifest; the error names the file and the first bad field. */
export async function readManifest(path: string): Promise<Manifest> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : error instanceof Error ? error.message : String(error);
    throw new ManifestError(`${path}: cannot read the manifest (${reason})`);
  }
  const parsed = manifestSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'the top level';
    throw new ManifestError(
      `${path}: not a presswork ${MANIFEST_VERSION} manifest (${where}: ${issue?.message ?? 'invalid'}); rebuild it with this presswork (${PRESSWORK_VERSION})`,
    );
  }
  return parsed.data;
}

/** The previous build's manifest, or nothing when there is none or it is unreadable (it is only a cache). */
export async function readPreviousManifest(path: string): Promise<Manifest | undefined> {
  return readManifest(path).catch(() => undefined);
}

/** A manifest of these articles and editions, in the order of their sources (then slugs): one folder, one text. */
export function makeManifest(articles: ManifestArticle[], shard?: { index: number; count: number }, editions: ManifestEdition[] = []): Manifest {
  return {
    version: MANIFEST_VERSION,
    generator: `presswork ${PRESSWORK_VERSION}`,
    ...(shard ? { shard } : {}),
    articles: [...articles].sort((a, b) => compare(a.source, b.source) || compare(a.slug, b.slug)),
    ...(editions.length > 0 ? { editions: [...editions].sort((a, b) => compare(a.source, b.source)) } : {}),
  };
}

export async function writeManifest(path: string, manifest: Manifest): Promise<void> {
  await writeAtomic(path, new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`));
}

/**
 * Joins the manifests of a sharded build into one at `outPath`: output paths
 * are rewritten relative to it; one slug from two different sources is an error,
 * and so is a set of shards with one missing (a job whose manifest did not arrive).
 */
export async function mergeManifests(inputs: string[], outPath: string): Promise<Manifest> {
  const manifests = await Promise.all(inputs.map(async (input) => ({ input, manifest: await readManifest(input) })));
  checkShards(manifests);
  const bySlug = new Map<string, { article: ManifestArticle; from: string }>();
  for (const { input, manifest } of manifests) {
    for (const article of manifest.articles) {
      // A failed article's slug may be only its file's name (its front matter did not load), and two
      // that failed for sharing a slug are each reported: they are kept apart by their sources.
      const key = article.ok ? `slug\0${article.slug}` : `failed\0${article.source}`;
      const seen = bySlug.get(key);
      if (seen && seen.article.source !== article.source) {
        throw new ManifestError(
          `slug "${article.slug}" is used by ${seen.article.source} (in ${seen.from}) and by ${article.source} (in ${input}); give one of them its own \`slug:\` in the front matter`,
        );
      }
      // The same article in two manifests: the later input wins, as it would in a rebuild.
      bySlug.set(key, { article: rebase(article, dirname(resolve(input)), dirname(resolve(outPath))), from: input });
    }
  }
  const articles = [...bySlug.values()].map(({ article }) => article);
  // Editions are built by one shard each (by the path of their edition.yml); the later input wins, as for articles.
  const editions = new Map<string, ManifestEdition>();
  for (const { input, manifest } of manifests) {
    for (const edition of manifest.editions ?? []) editions.set(edition.source, rebase(edition, dirname(resolve(input)), dirname(resolve(outPath))));
  }
  const merged = makeManifest(articles, undefined, [...editions.values()]);
  await writeManifest(outPath, merged);
  return merged;
}

/** The shards among the inputs are of one `--shard i/n` and all n of them are there. */
function checkShards(manifests: Array<{ input: string; manifest: Manifest }>): void {
  const sharded = manifests.filter(({ manifest }) => manifest.shard !== undefined);
  const [first] = sharded;
  if (!first?.manifest.shard) return;
  const { count } = first.manifest.shard;
  const other = sharded.find(({ manifest }) => manifest.shard?.count !== count);
  if (other) {
    throw new ManifestError(
      `${first.input} is shard ${first.manifest.shard.index}/${count} and ${other.input} is shard ${other.manifest.shard?.index}/${other.manifest.shard?.count}: merge the manifests of one --shard i/n split`,
    );
  }
  const present = new Set(sharded.map(({ manifest }) => manifest.shard?.index));
  const missing = Array.from({ length: count }, (_, index) => index + 1).filter((index) => !present.has(index));
  if (missing.length > 0) {
    throw new ManifestError(
      `shard${missing.length === 1 ? '' : 's'} ${missing.map((index) => `${index}/${count}`).join(', ')} missing: the merged manifest would leave out ${missing.length === 1 ? 'its' : 'their'} articles; pass the manifest of every shard`,
    );
  }
}

type Output = z.infer<typeof outputSchema>;

function rebase<T extends { outputs: Partial<Record<string, Output>> }>(entry: T, fromDir: string, toDir: string): T {
  const move = (path: string) => relative(toDir, isAbsolute(path) ? path : resolve(fromDir, path)).split(sep).join('/');
  const outputs: Partial<Record<string, Output>> = {};
  for (const [format, output] of Object.entries(entry.outputs)) {
    if (!output) continue;
    const more = Array.isArray(output.more) ? (output.more as Array<{ path: string }>).map((file) => ({ ...file, path: move(file.path) })) : undefined;
    outputs[format] = { ...output, path: move(output.path), ...(more ? { more } : {}) };
  }
  return { ...entry, outputs };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
