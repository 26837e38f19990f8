// The front matter's photos, checked before the page is laid out: a file that
// is missing prints as an empty frame (with a warning), a file that is not an
// image or lies outside the article's folder fails the article (with its
// line), and a photo far larger than print needs is printed from a scaled-down
// copy made in the work folder, so Chromium never decodes 20,000 px.
import { mkdir, realpath, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Element, Root } from 'hast';
import { h } from 'hastscript';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import type { Photo } from '../content/schema.js';
import { pathInside, srcPath, urlScheme } from '../paths.js';

/** `src` names a URL (`https:`, `data:`, `file:` …), not a path: the page, the EPUB and the cache key agree on what is a file. */
export function hasUrlScheme(src: string): boolean {
  return urlScheme(src) !== undefined;
}

/** Longest side printed as is: 4,000 px still gives 300 ppi across 338 mm, wider than any preset's column grid. */
export const MAX_PRINT_PIXELS = 4000;

export type PreparedPhoto =
  | { index: number; kind: 'none' | 'remote' | 'missing' }
  | { index: number; kind: 'file'; original: string; print: string; width: number; height: number; scaled: boolean };

const REMOTE = /^https?:/i;

/**
 * Checks every photo with a `src`; messages go on `file` (fatal ones fail the
 * article). Scaled copies are written under `workDir`.
 */
export async function preparePhotos(photos: Photo[], file: VFile, workDir: string): Promise<PreparedPhoto[]> {
  const articleDir = dirname(file.path);
  const prepared: PreparedPhoto[] = [];
  for (const [index, photo] of photos.entries()) {
    const src = photo.src;
    if (!src) prepared.push({ index, kind: 'none' });
    else if (REMOTE.test(src)) prepared.push({ index, kind: 'remote' });
    else prepared.push(await prepareFile(index, photo, src, articleDir, file, workDir));
  }
  return prepared;
}

async function prepareFile(index: number, photo: Photo, src: string, articleDir: string, file: VFile, workDir: string): Promise<PreparedPhoto> {
  const label = `photo ${index + 1} (${photo.name ?? photo.caption})`;
  const place = lineOf(file, index);
  const fail = (reason: string): never => {
    throw file.fail(`${label}: ${reason}`, { place, ruleId: 'photo', source: 'presswork' });
  };
  if (hasUrlScheme(src)) fail(`\`src: ${src}\` is neither a file in the article’s folder nor an http(s) URL; give a path such as \`photos/name.jpg\``);
  const path = resolve(articleDir, src);
  const root = await realpath(articleDir).catch(() => articleDir);
  const real = await realpath(path).catch(() => undefined);
  if (!insideFolder(root, real ?? resolve(root, src))) {
    fail(`\`src: ${src}\` is outside the article’s folder (${articleDir}), and presswork reads no file there; copy the photo into the article’s folder and give its path from there`);
  }
  const info = real ? await stat(real).catch(() => undefined) : undefined;
  if (!real || !info?.isFile()) {
    file.message(`${label}: \`${src}\` was not found; it is printed as an empty frame — put the photo at ${path} or correct \`src\``, {
      place,
      ruleId: 'photo-missing',
      source: 'presswork',
    });
    return { index, kind: 'missing' };
  }
  let width = 0;
  let height = 0;
  // sharp loads when an article has a photo on disk, not with every command.
  const { default: sharp } = await import('sharp');
  try {
    const metadata = await sharp(real).metadata();
    width = metadata.autoOrient?.width ?? metadata.width ?? 0;
    height = metadata.autoOrient?.height ?? metadata.height ?? 0;
  } catch (error) {
    fail(`\`${src}\` is not an image presswork can read (${error instanceof Error ? error.message : String(error)}); give a JPEG, PNG, WebP, AVIF, GIF or TIFF file`);
  }
  if (Math.max(width, height) <= MAX_PRINT_PIXELS) return { index, kind: 'file', original: real, print: real, width, height, scaled: false };

  const copy = join(workDir, 'photos', `photo-${index + 1}.png`);
  await mkdir(dirname(copy), { recursive: true });
  try {
    const scaled = await sharp(real)
      .autoOrient()
      .resize({ width: MAX_PRINT_PIXELS, height: MAX_PRINT_PIXELS, fit: 'inside', withoutEnlargement: true })
      .png()
      .toFile(copy);
    file.info(`${label}: \`${src}\` is ${width} × ${height} px; printed from a copy scaled to ${scaled.width} × ${scaled.height} px (the original is left as it is)`, {
      place,
      ruleId: 'photo-scaled',
      source: 'presswork',
    });
    return { index, kind: 'file', original: real, print: copy, width: scaled.width, height: scaled.height, scaled: true };
  } catch (error) {
    return fail(`\`${src}\` (${width} × ${height} px) could not be scaled down for print (${error instanceof Error ? error.message : String(error)}); scale it to at most ${MAX_PRINT_PIXELS} px on its longest side`);
  }
}

function lineOf(file: VFile, index: number) {
  const line = file.data.frontMatterLines?.[`photos.${index}`];
  return line ? { line, column: 1 } : undefined;
}

/**
 * The article tree with the photos as prepared: a missing file becomes the
 * empty frame, and for print (`use: 'print'`) a scaled photo points at its copy.
 */
export function withPreparedPhotos(tree: Root, prepared: PreparedPhoto[], use: 'print' | 'original'): Root {
  const copy = structuredClone(tree);
  visit(copy, 'element', (node: Element) => {
    if (node.tagName !== 'figure' || typeof node.properties.id !== 'string') return;
    const index = Number(/^photo-(\d+)$/.exec(node.properties.id)?.[1] ?? 0) - 1;
    const photo = prepared[index];
    if (!photo) return;
    node.children = node.children.map((child) => {
      if (child.type !== 'element' || child.tagName !== 'img') return child;
      if (photo.kind === 'missing') {
        const alt = typeof child.properties.alt === 'string' ? child.properties.alt : '';
        return h('div.photo.placeholder', { role: 'img', ariaLabel: `${alt}（照片暂缺）` });
      }
      if (photo.kind === 'file') return { ...child, properties: { ...child.properties, src: use === 'print' ? photo.print : photo.original } };
      return child;
    });
  });
  return copy;
}

/**
 * What an EPUB of the article shows and packs: the tree with the photo files
 * themselves (the originals, not the print copies), and its local images.
 */
export async function epubPhotos(tree: Root, prepared: PreparedPhoto[], articleDir: string): Promise<{ tree: Root; images: Array<{ src: string; path: string }> }> {
  const shown = withPreparedPhotos(tree, prepared, 'original');
  return { tree: shown, images: await localImages(shown, prepared, articleDir) };
}

/**
 * The local image files an EPUB of the tree can carry: the photos found on
 * disk, and body images whose `src` is a path to a file inside the article's
 * folder (the same rule the print follows). Keyed by `src` as the tree
 * prepared with `use: 'original'` has it.
 */
export async function localImages(tree: Root, prepared: PreparedPhoto[], articleDir: string): Promise<Array<{ src: string; path: string }>> {
  const found = prepared.flatMap((photo) => (photo.kind === 'file' ? [{ src: photo.original, path: photo.original }] : []));
  const bodySources: string[] = [];
  visit(tree, 'element', (node: Element) => {
    const src = node.properties.src;
    if (node.tagName === 'img' && typeof src === 'string' && !hasScheme(src)) bodySources.push(src);
  });
  const root = await realpath(articleDir).catch(() => articleDir);
  for (const src of bodySources) {
    if (found.some((image) => image.src === src)) continue;
    const real = await realpath(resolve(articleDir, srcPath(src))).catch(() => undefined);
    if (!real || !insideFolder(root, real)) continue;
    if ((await stat(real).catch(() => undefined))?.isFile()) found.push({ src, path: real });
  }
  return found;
}

const hasScheme = (src: string) => hasUrlScheme(src) || src.startsWith('//');

/** Inside the folder, and not the folder itself. */
function insideFolder(root: string, candidate: string): boolean {
  return Boolean(pathInside(root, candidate));
}
