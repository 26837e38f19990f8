// The article's own images, packed into the EPUB so the book renders on any
// reader with nothing fetched: photos and body images in the formats every
// EPUB reader must show (JPEG, PNG, GIF), at a size a reader can hold.
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';

/** Longest side packed as is: a full-screen photo on a large tablet; more only weighs the book down. */
export const MAX_EPUB_PIXELS = 2048;

export interface ImageSource {
  /** The `src` as it stands in the article tree. */
  src: string;
  /** The file it names, already checked to lie inside the article's folder. */
  path: string;
}

export interface PackedImage {
  src: string;
  /** Path inside OEBPS/. */
  href: string;
  mediaType: 'image/jpeg' | 'image/png' | 'image/gif';
  bytes: Uint8Array;
  width: number;
  height: number;
}

const CORE_TYPES = { jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif' } as const;
const EXTENSION = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif' } as const;

export interface PackResult {
  /** Packed images by their `src` in the tree, in the order first given. */
  images: Map<string, PackedImage>;
  /** Sources that could not be read as images, with the reason. */
  skipped: Array<{ src: string; reason: string }>;
}

/**
 * Reads each image once. A core-format file of a readable size, upright, goes
 * in byte for byte; anything else (WebP, TIFF, AVIF, a rotated or huge photo)
 * is re-encoded upright and scaled: PNG where it has transparency, else JPEG.
 */
export async function packImages(sources: ImageSource[]): Promise<PackResult> {
  const { groups, skipped } = await packImageGroups([sources]);
  return { images: groups[0] ?? new Map(), skipped };
}

/** A source that could not be packed, and the group (article) that named it. */
type GroupSkip = PackResult['skipped'][number] & { group: number };

/**
 * The images of a book of several articles (an edition): each group is one article's sources, and its
 * `src`s mean something in that article only (two articles may each name their own `photo.jpg`). A file
 * named by several articles is packed once; the numbering runs through the whole book.
 */
export async function packImageGroups(sourceGroups: ImageSource[][]): Promise<{ groups: Array<PackResult['images']>; skipped: GroupSkip[] }> {
  const byPath = new Map<string, PackedImage>();
  const skipped: GroupSkip[] = [];
  const groups: Array<PackResult['images']> = [];
  for (const [group, sources] of sourceGroups.entries()) {
    const images = new Map<string, PackedImage>();
    for (const { src, path } of sources) {
      if (images.has(src)) continue;
      const known = byPath.get(path);
      if (known) {
        images.set(src, { ...known, src });
        continue;
      }
      try {
        const packed = await packOne(src, path, byPath.size + 1);
        byPath.set(path, packed);
        images.set(src, packed);
      } catch (error) {
        skipped.push({ group, src, reason: error instanceof Error ? error.message : String(error) });
      }
    }
    groups.push(images);
  }
  return { groups, skipped };
}

async function packOne(src: string, path: string, number: number): Promise<PackedImage> {
  const original = await readFile(path);
  const metadata = await sharp(original).metadata();
  const width = metadata.autoOrient?.width ?? metadata.width ?? 0;
  const height = metadata.autoOrient?.height ?? metadata.height ?? 0;
  const core = CORE_TYPES[metadata.format as keyof typeof CORE_TYPES] as PackedImage['mediaType'] | undefined;
  const upright = (metadata.orientation ?? 1) === 1;
  // An animated GIF keeps its frames only if it goes in as it is.
  if (core && upright && (Math.max(width, height) <= MAX_EPUB_PIXELS || (metadata.pages ?? 1) > 1)) {
    return { src, href: `images/image-${number}.${EXTENSION[core]}`, mediaType: core, bytes: new Uint8Array(original), width, height };
  }
  const scaled = sharp(original).autoOrient().resize({ width: MAX_EPUB_PIXELS, height: MAX_EPUB_PIXELS, fit: 'inside', withoutEnlargement: true });
  const { data, info } = metadata.hasAlpha
    ? await scaled.png({ compressionLevel: 9 }).toBuffer({ resolveWithObject: true })
    : await scaled.jpeg({ quality: 85, chromaSubsampling: '4:2:0' }).toBuffer({ resolveWithObject: true });
  const mediaType = metadata.hasAlpha ? 'image/png' : 'image/jpeg';
  return { src, href: `images/image-${number}.${EXTENSION[mediaType]}`, mediaType, bytes: new Uint8Array(data), width: info.width, height: info.height };
}

/**
 * The cover: the page-1 render, as a 256-colour PNG when that is smaller. A
 * page of type is mostly flat ink and paper, so the palette keeps it sharp at
 * about half the bytes (the seed's page: 876 KB → 452 KB); the quantizer is
 * deterministic.
 */
export async function coverImage(png: Uint8Array): Promise<Uint8Array> {
  const palette = new Uint8Array(await sharp(png).png({ palette: true, effort: 1 }).toBuffer());
  return palette.byteLength < png.byteLength ? palette : png;
}
