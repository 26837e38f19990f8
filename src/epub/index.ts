// epub stage: the article tree and the print's results → a valid,
// self-contained, reproducible EPUB 3 of one chapter.
//
// Every document is written here from our own templates (./documents.ts) and
// zipped with fixed dates and order (./archive.ts): nothing reads the clock or
// a random source. The print stage hands over where its pages break (for the
// page-list and the page-break markers) and the page-1 render (the cover).
import type { Root } from 'hast';
import rehypeParse from 'rehype-parse';
import { unified } from 'unified';
import type { VFile } from 'vfile';
import type { RunningHead } from '../content/load.js';
import type { FrontMatter } from '../content/schema.js';
import type { LoadedFont } from '../layout/index.js';
import type { PageStart } from '../print/index.js';
import type { SectionHead } from '../transform/index.js';
import { pack } from './archive.js';
import { articleChapter, assertHeadsIn } from './chapter.js';
import {
  articleContents,
  type BookContents,
  chapterXhtml,
  CONTAINER_XML,
  contentOpf,
  COVER_FILE,
  COVER_IMAGE,
  coverXhtml,
  NAV_FILE,
  NCX_FILE,
  type NavEntry,
  navTree,
  navXhtml,
  PACKAGE_FILE,
  STYLESHEET_FILE,
  tocNcx,
} from './documents.js';
import { embedFonts } from './fonts.js';
import { coverImage, type ImageSource, type PackedImage, packImages } from './images.js';
import { epubMetadata, type EpubMetadata } from './metadata.js';
import { epubTemplate, type EpubTemplate } from './stylesheet.js';

export interface EpubPrint {
  /**
   * The page-1 render (PNG); empty when the page was not rendered (no cover). A promise lets the book be
   * made while the print renders it: only the cover image waits for it.
   */
  png: Uint8Array | Promise<Uint8Array>;
  /** Where each page after the first begins. */
  pageStarts: PageStart[];
}

export interface EpubInput {
  tree: Root; // hast root from transformArticle (one <article>)
  frontMatter: FrontMatter;
  slug: string;
  sectionHeads: SectionHead[];
  /** paper/date/page/section; values named in `sampleFields` are placeholders and are not recorded. */
  runningHead: RunningHead;
  /** The software, e.g. "presswork 0.1.0" (written as the generator, not as an author). */
  creator: string;
  /** Seconds since 1970 (SOURCE_DATE_EPOCH): the EPUB's modification date. */
  sourceDateEpoch?: number;
  /** The template's fonts: the EPUB embeds subsets of them. */
  fonts: LoadedFont[];
  /** The print's results. Without them the book has no cover and its page-list only page 1. */
  print?: EpubPrint;
  /** The EPUB's template (stylesheet and faces); default: the newspaper template's. */
  template?: EpubTemplate;
  /** Local image files the tree names (photos and body images), checked by the caller to lie in the article's folder. */
  images?: ImageSource[];
  /** The article's vfile: warnings (incomplete archival metadata, undrawable characters) go here. */
  file?: VFile;
}

export interface EpubResult {
  bytes: Uint8Array;
  /** The embedded font subsets: how many files and their bytes before zip compression. */
  fonts: { files: number; bytes: number };
  /** Pages in the page-list. */
  pages: number;
  cover: boolean;
  /** The packed images: how many files and their bytes. */
  images: { files: number; bytes: number };
}

const parser = unified().use(rehypeParse);

export async function buildEpub(input: EpubInput): Promise<EpubResult> {
  const meta = epubMetadata(input);
  const template = input.template ?? epubTemplate();
  const pageStarts = input.print?.pageStarts ?? [];
  const packed = await packImages(input.images ?? []);
  for (const skipped of packed.skipped) reportUnpacked(input.file, skipped);
  const chapter = articleChapter(input.tree, meta.lang, pageStarts, packed.images);
  assertHeadsIn(chapter, input.sectionHeads);
  const png = input.print?.png;
  const cover = png instanceof Promise || (png !== undefined && png.byteLength > 0) ? { png, xhtml: coverXhtml(meta) } : undefined;
  const { chapters, pageList } = articleContents(cover !== undefined, pageStarts.length + 1);
  const result = await assembleBook({
    meta,
    chapters: chapters.map((entry) => ({ ...entry, xhtml: chapterXhtml(meta, chapter.markup) })),
    toc: [navTree(meta, input.sectionHeads)],
    pageList,
    cover,
    images: [...packed.images.values()],
    fonts: input.fonts,
    template,
    file: input.file,
  });
  if (meta.missing.length > 0) {
    input.file?.message(
      `archival metadata incomplete: the article names no ${meta.missing.join(' and no ')} (sample values from the config do not count), so the EPUB has no ${meta.missing.map((key) => (key === 'paper' ? 'dc:publisher/dc:source' : 'dc:date')).join(' or ')} and its identifier derives from the slug and the text; set ${meta.missing.map((key) => `\`${key}:\``).join(' and ')} in the front matter or in presswork.config.yml (with \`sample: false\`)`,
      { ruleId: 'archival-metadata', source: 'presswork' },
    );
  }
  return result;
}

/** An image the EPUB could not pack, told to the article's file (or the edition's, `where` naming the article). */
export function reportUnpacked(file: VFile | undefined, { src, reason }: { src: string; reason: string }, where = ''): void {
  file?.message(`the image \`${src}\`${where} could not be packed into the EPUB (${reason}); the EPUB shows its caption or alternative text instead — give a JPEG, PNG, WebP, AVIF, GIF or TIFF file`, {
    ruleId: 'epub-image',
    source: 'presswork',
  });
}

export interface Book {
  meta: EpubMetadata;
  /** The chapters in reading order, each as its XHTML document. */
  chapters: Array<{ id: string; href: string; xhtml: string }>;
  toc: NavEntry[];
  pageList: BookContents['pageList'];
  cover?: { png: Uint8Array | Promise<Uint8Array>; xhtml: string };
  /** The photos and images the chapters show, packed (one entry per file is kept). */
  images?: PackedImage[];
  fonts: LoadedFont[];
  template: EpubTemplate;
  file?: VFile;
  edition?: boolean;
}

/** The package around the chapters: nav, NCX, stylesheet, cover and the font subsets for all their text; zipped. */
export async function assembleBook(book: Book): Promise<EpubResult> {
  const { meta, template } = book;
  const images = [...new Map((book.images ?? []).map((image) => [image.href, image])).values()];
  const draftContents: BookContents = { cover: book.cover !== undefined, chapters: book.chapters, pageList: book.pageList, fonts: [], images, edition: book.edition };
  // The fonts cover what the reader shows: every XHTML document's text, the nav's included.
  const documents = [...book.chapters.map((chapter) => chapter.xhtml), ...(book.cover ? [book.cover.xhtml] : []), navXhtml(meta, book.toc, draftContents)];
  const fonts = await embedFonts(
    documents.map((markup) => parser.parse(markup)),
    template.faces,
    book.fonts,
  );
  if (fonts.undrawn.length > 0) {
    book.file?.message(`no font of the template draws ${fonts.undrawn.join(' ')}; the EPUB leaves them to the reader's own fonts`, {
      ruleId: 'epub-missing-glyph',
      source: 'presswork',
    });
  }
  const contents: BookContents = { ...draftContents, fonts: fonts.files };
  const stylesheet = `${template.css.trimEnd()}\n\n/* Embedded font subsets (generated from template.json epub.faces). */\n${fonts.css}`;
  const bytes = await pack(
    [
      { name: 'mimetype', data: 'application/epub+zip' },
      { name: 'META-INF/container.xml', data: CONTAINER_XML },
      { name: PACKAGE_FILE, data: contentOpf(meta, contents) },
      { name: `OEBPS/${NAV_FILE}`, data: navXhtml(meta, book.toc, contents) },
      { name: `OEBPS/${NCX_FILE}`, data: tocNcx(meta, book.toc, contents) },
      { name: `OEBPS/${STYLESHEET_FILE}`, data: stylesheet },
      ...(book.cover ? [{ name: `OEBPS/${COVER_FILE}`, data: book.cover.xhtml }, { name: `OEBPS/${COVER_IMAGE}`, data: await coverImage(await book.cover.png), stored: true }] : []),
      ...book.chapters.map((chapter) => ({ name: `OEBPS/${chapter.href}`, data: chapter.xhtml })),
      // JPEG, PNG and GIF are compressed already: stored, not deflated again.
      ...images.map((image) => ({ name: `OEBPS/${image.href}`, data: image.bytes, stored: true })),
      ...fonts.files.map((font) => ({ name: `OEBPS/${font.href}`, data: font.bytes })),
    ],
    meta.modified,
  );
  return {
    bytes,
    fonts: { files: fonts.files.length, bytes: fonts.files.reduce((sum, font) => sum + font.bytes.byteLength, 0) },
    pages: contents.pageList.length,
    cover: book.cover !== undefined,
    images: { files: images.length, bytes: images.reduce((sum, image) => sum + image.bytes.byteLength, 0) },
  };
}
