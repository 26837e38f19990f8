// epub stage: the article tree → a valid, reproducible EPUB 3 of one chapter.
//
// epub-gen-memory 1.1.2 makes the zip, but its defaults do not suit an
// archive: content.opf says xml:lang="en" whatever `lang` is, all authors
// share one dc:creator, the identifier is random and the dates are the clock's,
// and chapter HTML goes through its normalizer (which writes every Han
// character as a numeric reference, strips data-* and fetches every <img>).
// So every document comes from our own templates (the library's `contentOPF`,
// `tocXHTML`, `tocNCX`, `chapterXHTML` and `css` options), the chapter is
// handed over whole in its template rather than as `content` (nothing for the
// library to normalize or fetch), and the zip it writes is re-packed with fixed
// dates and order (./archive.ts).
import type { Root } from 'hast';
import { EPub } from 'epub-gen-memory';
import type { RunningHead } from '../content/load.js';
import type { FrontMatter } from '../content/schema.js';
import type { SectionHead } from '../transform/index.js';
import { repack } from './archive.js';
import { articleChapter } from './chapter.js';
import { asTemplate, CHAPTER_FILE, chapterXhtml, contentOpf, NAV_FILE, NCX_FILE, navTree, navXhtml, STYLESHEET_FILE, tocNcx } from './documents.js';
import { epubMetadata } from './metadata.js';
import { epubStylesheet } from './stylesheet.js';

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
}

export async function buildEpub(input: EpubInput): Promise<Uint8Array> {
  const meta = epubMetadata(input);
  const chapter = articleChapter(input.tree, meta.lang);
  for (const head of input.sectionHeads) {
    if (!chapter.ids.has(head.id)) throw new Error(`section head "${head.text}" has id ${head.id}, which is not in the article tree`);
  }
  const nav = navTree(meta, input.sectionHeads);

  const book = new EPub(
    {
      title: meta.title,
      author: meta.authors,
      ...(meta.description === undefined ? {} : { description: meta.description }),
      ...(meta.publisher === undefined ? {} : { publisher: meta.publisher }),
      lang: meta.lang,
      // The library's own default would be the clock; our templates do not read it.
      date: meta.modified,
      version: 3,
      fonts: [],
      css: epubStylesheet(),
      contentOPF: asTemplate(contentOpf(meta)),
      tocXHTML: asTemplate(navXhtml(meta, nav)),
      tocNCX: asTemplate(tocNcx(meta, nav)),
      chapterXHTML: asTemplate(chapterXhtml(meta, chapter.markup)),
      prependChapterTitles: false,
      tocInTOC: false,
      verbose: false,
    },
    [{ title: meta.title, filename: CHAPTER_FILE, content: '' }],
  );
  const written = await book.genEpub();

  return repack(
    new Uint8Array(written.buffer, written.byteOffset, written.byteLength),
    [
      { from: 'mimetype', to: 'mimetype' },
      { from: 'META-INF/container.xml', to: 'META-INF/container.xml' },
      { from: 'OEBPS/content.opf', to: 'OEBPS/content.opf' },
      // The library names the nav document toc.xhtml; ours is nav.xhtml.
      { from: 'OEBPS/toc.xhtml', to: `OEBPS/${NAV_FILE}` },
      { from: `OEBPS/${NCX_FILE}`, to: `OEBPS/${NCX_FILE}` },
      { from: `OEBPS/${STYLESHEET_FILE}`, to: `OEBPS/${STYLESHEET_FILE}` },
      { from: `OEBPS/${CHAPTER_FILE}`, to: `OEBPS/${CHAPTER_FILE}` },
    ],
    meta.modified,
  );
}
