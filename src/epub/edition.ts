// The EPUB of an edition: every article a chapter in edition order, the toc
// grouped by page (第1版 要闻 → its headlines → their 小标题), a page-list
// with one entry per edition page (a page-break marker opens the first
// article of each page), the edition's page 1 as the cover, and font subsets
// over the text of the whole book.
import type { Root } from 'hast';
import type { VFile } from 'vfile';
import type { FrontMatter } from '../content/schema.js';
import { formatPageNumber, type LoadedFont } from '../layout/index.js';
import type { SectionHead } from '../transform/index.js';
import { articleChapter, assertHeadsIn } from './chapter.js';
import { chapterXhtml, coverXhtml, type NavEntry, navTree } from './documents.js';
import { type ImageSource, packImageGroups } from './images.js';
import { assembleBook, type EpubResult, reportUnpacked } from './index.js';
import { assertLanguageTag, type EpubMetadata, modifiedDate, URL_NAMESPACE, uuidV5 } from './metadata.js';
import { pageId } from './page-breaks.js';
import { epubTemplate, type EpubTemplate } from './stylesheet.js';

export interface EditionChapter {
  tree: Root;
  frontMatter: FrontMatter;
  sectionHeads: SectionHead[];
  /** The edition page it is printed on (1-based). */
  page: number;
  /** Its photos and local body images, checked by the caller to lie in the article's folder. */
  images?: ImageSource[];
  /** The article's file as the edition names it, for messages. */
  name?: string;
}

export interface EditionPage {
  page: number;
  /** 版次 label as edition.yml gives it (A02), or the page's number. */
  label: number | string;
  section: string;
}

export interface EditionEpubInput {
  paper: string;
  date: string;
  issue: number;
  lang: string;
  /** 《报名》YYYY年M月D日 第N期 */
  title: string;
  pages: EditionPage[];
  /** The articles in edition order. */
  chapters: EditionChapter[];
  creator: string;
  sourceDateEpoch?: number;
  fonts: LoadedFont[];
  /** The edition's page 1 as printed (PNG): the cover. */
  cover?: Uint8Array;
  template?: EpubTemplate;
  file?: VFile;
}

export async function buildEditionEpub(input: EditionEpubInput): Promise<EpubResult> {
  assertLanguageTag(input.lang);
  const meta = editionMetadata(input);
  const hrefOf = (index: number) => `article-${index + 1}.xhtml`;
  const firstOn = new Map<number, number>();
  input.chapters.forEach((chapter, index) => {
    if (!firstOn.has(chapter.page)) firstOn.set(chapter.page, index);
  });
  const labelOf = (page: number) => String(input.pages.find((entry) => entry.page === page)?.label ?? page);

  const packed = await packImageGroups(input.chapters.map((chapter) => chapter.images ?? []));
  for (const skipped of packed.skipped) {
    const name = input.chapters[skipped.group]?.name;
    reportUnpacked(input.file, skipped, name ? ` of \`${name}\`` : '');
  }
  const chapters = input.chapters.map((chapter, index) => {
    // The page's marker opens its first article; the articles after it on the page carry none.
    const first = firstOn.get(chapter.page) === index ? { page: chapter.page, label: labelOf(chapter.page) } : null;
    const markup = articleChapter(chapter.tree, input.lang, [], packed.groups[index] ?? new Map(), first);
    assertHeadsIn(markup, chapter.sectionHeads);
    return { id: `article-${index + 1}`, href: hrefOf(index), xhtml: chapterXhtml({ lang: input.lang, title: chapter.frontMatter.headline }, markup.markup) };
  });

  const toc: NavEntry[] = input.pages.map((page) => {
    const first = firstOn.get(page.page) ?? 0;
    return {
      label: `${formatPageNumber(page.label)} ${page.section}`,
      href: hrefOf(first),
      children: input.chapters.flatMap((chapter, index) => (chapter.page === page.page ? [navTree({ title: chapter.frontMatter.headline }, chapter.sectionHeads, hrefOf(index))] : [])),
    };
  });
  const pageList = input.pages.map((page) => ({ label: String(page.label), href: `${hrefOf(firstOn.get(page.page) ?? 0)}#${pageId(page.page)}` }));
  // The cover names in words the stories page 1 carries.
  const frontHeadlines = input.chapters.filter((chapter) => chapter.page === 1).map((chapter) => chapter.frontMatter.headline);
  const cover = input.cover && input.cover.byteLength > 0 ? { png: input.cover, xhtml: coverXhtml({ ...meta, title: frontHeadlines.join('》《') || meta.title }) } : undefined;

  return assembleBook({
    meta,
    chapters,
    toc,
    pageList,
    cover,
    images: packed.groups.flatMap((images) => [...images.values()]),
    fonts: input.fonts,
    template: input.template ?? epubTemplate(),
    file: input.file,
    edition: true,
  });
}

/** The edition's package metadata: all from edition.yml and the articles, nothing from the clock. */
export function editionMetadata(input: EditionEpubInput): EpubMetadata {
  const headlines = input.chapters.map((chapter) => chapter.frontMatter.headline);
  const sections = [...new Set(input.pages.map((page) => page.section))];
  return {
    // One edition of one paper is one book: paper, date and issue name it.
    identifier: `urn:uuid:${uuidV5(`presswork:edition:${input.paper}:${input.date}:${input.issue}`, URL_NAMESPACE)}`,
    title: input.title,
    lang: input.lang,
    authors: [...new Set(input.chapters.flatMap((chapter) => chapter.frontMatter.authors ?? []))],
    description: `${input.pages.length}版，${headlines.length}篇：${headlines.join('；')}`,
    publisher: input.paper,
    subject: sections.join('、'),
    source: `${input.paper} ${input.date} 第${input.issue}期`,
    date: input.date,
    modified: modifiedDate(input.sourceDateEpoch, input.date),
    generator: input.creator,
    missing: [],
  };
}
