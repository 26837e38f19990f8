// The package documents of the EPUB, written whole: container.xml,
// content.opf, the nav document (toc, landmarks, page-list), toc.ncx (for
// EPUB 2 reading systems), the cover page and the chapter page.
import type { SectionHead } from '../transform/index.js';
import { stripNonXml } from './chapter.js';
import type { EpubMetadata } from './metadata.js';
import { pageId } from './page-breaks.js';

export const CHAPTER_FILE = 'article.xhtml';
export const NAV_FILE = 'nav.xhtml';
export const NCX_FILE = 'toc.ncx';
export const COVER_FILE = 'cover.xhtml';
export const COVER_IMAGE = 'cover.png';
export const STYLESHEET_FILE = 'style.css';
export const PACKAGE_FILE = 'OEBPS/content.opf';

/** Text for an XML text node or a double-quoted attribute value. */
export function xml(value: string): string {
  return stripNonXml(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export const CONTAINER_XML = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">',
  '  <rootfiles>',
  `    <rootfile full-path="${PACKAGE_FILE}" media-type="application/oebps-package+xml"/>`,
  '  </rootfiles>',
  '</container>',
  '',
].join('\n');

/** What the book holds besides its text, for the manifest and the accessibility metadata. */
export interface BookContents {
  cover: boolean;
  /** The chapters in reading order: one article, or every article of an edition. */
  chapters: Array<{ id: string; href: string }>;
  /** The printed pages, each with the place in the text where it starts. */
  pageList: Array<{ label: string; href: string }>;
  fonts: Array<{ href: string }>;
  /** The article's photos and images, packed. */
  images: Array<{ href: string; mediaType: string }>;
  /** An edition of the paper rather than one article (the accessibility summary says which). */
  edition?: boolean;
}

/** One article's book: its chapter, and pages 1 … `pages` marked in it. */
export function articleContents(cover: boolean, pages: number): Omit<BookContents, 'fonts' | 'images'> {
  return {
    cover,
    chapters: [{ id: 'article', href: CHAPTER_FILE }],
    pageList: Array.from({ length: pages }, (_, index) => ({ label: String(index + 1), href: `${CHAPTER_FILE}#${pageId(index + 1)}` })),
  };
}

export function contentOpf(meta: EpubMetadata, contents: BookContents): string {
  const creators = meta.authors.flatMap((author, index) => [
    `    <dc:creator id="creator-${index + 1}">${xml(author)}</dc:creator>`,
    `    <meta refines="#creator-${index + 1}" property="role" scheme="marc:relators">aut</meta>`,
  ]);
  const optional = (tag: string, value: string | undefined) => (value === undefined ? [] : [`    <${tag}>${xml(value)}</${tag.split(' ')[0]}>`]);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="pub-id" xml:lang="${xml(meta.lang)}">`,
    '  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">',
    `    <dc:identifier id="pub-id">${xml(meta.identifier)}</dc:identifier>`,
    `    <dc:title>${xml(meta.title)}</dc:title>`,
    `    <dc:language>${xml(meta.lang)}</dc:language>`,
    ...creators,
    ...optional('dc:description', meta.description),
    ...optional('dc:publisher', meta.publisher),
    ...optional('dc:subject', meta.subject),
    ...optional('dc:source', meta.source),
    ...optional('dc:date', meta.date),
    `    <meta property="dcterms:modified">${xml(meta.modified)}</meta>`,
    ...accessibilityMetadata(meta, contents).map((line) => `    ${line}`),
    ...(contents.cover ? ['    <meta name="cover" content="cover-image"/>'] : []),
    `    <meta name="generator" content="${xml(meta.generator)}"/>`,
    '  </metadata>',
    '  <manifest>',
    `    <item id="nav" href="${NAV_FILE}" media-type="application/xhtml+xml" properties="nav"/>`,
    `    <item id="ncx" href="${NCX_FILE}" media-type="application/x-dtbncx+xml"/>`,
    `    <item id="css" href="${STYLESHEET_FILE}" media-type="text/css"/>`,
    ...(contents.cover
      ? [
          `    <item id="cover" href="${COVER_FILE}" media-type="application/xhtml+xml"/>`,
          `    <item id="cover-image" href="${COVER_IMAGE}" media-type="image/png" properties="cover-image"/>`,
        ]
      : []),
    ...contents.chapters.map((chapter) => `    <item id="${xml(chapter.id)}" href="${xml(chapter.href)}" media-type="application/xhtml+xml"/>`),
    ...contents.images.map((image, index) => `    <item id="image-${index + 1}" href="${xml(image.href)}" media-type="${image.mediaType}"/>`),
    ...contents.fonts.map((font, index) => `    <item id="font-${index + 1}" href="${xml(font.href)}" media-type="font/ttf"/>`),
    '  </manifest>',
    '  <spine toc="ncx">',
    ...(contents.cover ? ['    <itemref idref="cover"/>'] : []),
    ...contents.chapters.map((chapter) => `    <itemref idref="${xml(chapter.id)}"/>`),
    '  </spine>',
    '</package>',
    '',
  ].join('\n');
}

/** schema.org accessibility metadata (EPUB Accessibility 1.0): what the book is and offers, stated only where true. */
function accessibilityMetadata(meta: EpubMetadata, contents: BookContents): string[] {
  const chinese = /^zh\b/i.test(meta.lang);
  const features = ['structuralNavigation', 'tableOfContents', 'readingOrder', 'displayTransformability', 'printPageNumbers', 'pageNavigation', 'pageBreakMarkers'];
  const visual = contents.cover || contents.images.length > 0;
  if (visual) features.push('alternativeText');
  const what = contents.edition ? (chinese ? '一期报纸（每篇文章一章）' : 'one edition of a newspaper, one chapter per article') : chinese ? '一篇报纸文章' : 'one newspaper article';
  const summary = chinese
    ? `本书是${what}的文字版，带结构化标题、目录、与印刷版对应的页码列表和分页标记，内嵌覆盖全部字符的字体。${contents.cover ? '封面是印刷版第1页的图像，附有文字说明；文章全文以文字提供。' : ''}${contents.images.length > 0 ? '文中照片附有文字说明。' : ''}已用 axe-core 检查，无已知障碍。`
    : `The text of ${what}, with structured headings, a table of contents, a page list and page-break markers matching the printed edition, and embedded fonts covering every character.${contents.cover ? ` The cover is an image of the printed page 1 with a text alternative; the whole ${contents.edition ? 'edition' : 'article'} is available as text.` : ''}${contents.images.length > 0 ? ' Its photos carry text alternatives.' : ''} Checked with axe-core; no known barriers.`;
  return [
    '<meta property="schema:accessMode">textual</meta>',
    ...(visual ? ['<meta property="schema:accessMode">visual</meta>'] : []),
    '<meta property="schema:accessModeSufficient">textual</meta>',
    ...features.map((feature) => `<meta property="schema:accessibilityFeature">${feature}</meta>`),
    '<meta property="schema:accessibilityHazard">none</meta>',
    `<meta property="schema:accessibilitySummary">${xml(summary)}</meta>`,
  ];
}

/** The chapter page around the article's markup. */
export function chapterXhtml(meta: Pick<EpubMetadata, 'lang' | 'title'>, articleMarkup: string): string {
  return [...xhtmlHead(meta.lang, meta.title), '<body epub:type="bodymatter">', '<main>', articleMarkup, '</main>', '</body>', '</html>', ''].join('\n');
}

/** The cover: the printed page 1, named in words for readers who cannot see it. */
export function coverXhtml(meta: EpubMetadata): string {
  const words = labels(meta.lang);
  return [
    ...xhtmlHead(meta.lang, `${words.cover}：${meta.title}`),
    '<body epub:type="cover">',
    '<main>',
    `<h1 class="cover-title">${xml(words.cover)}</h1>`,
    `<img class="cover-image" role="doc-cover" src="${COVER_IMAGE}" alt="${xml(words.coverAlt(meta.title))}" />`,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

export interface NavEntry {
  label: string;
  href: string;
  children: NavEntry[];
}

/** The headline, with the 小标题 under it (h3 heads under the h2 before them). */
export function navTree(meta: Pick<EpubMetadata, 'title'>, heads: SectionHead[], chapter = CHAPTER_FILE): NavEntry {
  const root: NavEntry = { label: meta.title, href: chapter, children: [] };
  let lastSection: NavEntry | undefined;
  for (const head of heads) {
    const entry: NavEntry = { label: head.text, href: `${chapter}#${head.id}`, children: [] };
    if (head.level === 3 && lastSection) lastSection.children.push(entry);
    else {
      root.children.push(entry);
      if (head.level === 2) lastSection = entry;
    }
  }
  return root;
}

export function navXhtml(meta: EpubMetadata, toc: NavEntry[], contents: BookContents): string {
  const words = labels(meta.lang);
  return [
    ...xhtmlHead(meta.lang, words.contents),
    '<body>',
    '<main>',
    '<nav epub:type="toc" id="toc" role="doc-toc" aria-labelledby="toc-title">',
    `<h1 id="toc-title">${xml(words.contents)}</h1>`,
    '<ol>',
    ...toc.flatMap((entry) => navItems(entry, '')),
    '</ol>',
    '</nav>',
    '<nav epub:type="landmarks" id="landmarks" aria-labelledby="landmarks-title" hidden="hidden">',
    `<h2 id="landmarks-title">${xml(words.landmarks)}</h2>`,
    '<ol>',
    ...(contents.cover ? [`<li><a epub:type="cover" href="${COVER_FILE}">${xml(words.cover)}</a></li>`] : []),
    `<li><a epub:type="bodymatter" href="${xml(contents.chapters[0]?.href ?? CHAPTER_FILE)}">${xml(words.bodymatter)}</a></li>`,
    '</ol>',
    '</nav>',
    '<nav epub:type="page-list" id="page-list" role="doc-pagelist" aria-labelledby="page-list-title" hidden="hidden">',
    `<h2 id="page-list-title">${xml(words.pages)}</h2>`,
    '<ol>',
    ...contents.pageList.map((page) => `<li><a href="${xml(page.href)}">${xml(page.label)}</a></li>`),
    '</ol>',
    '</nav>',
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function navItems(entry: NavEntry, indent: string): string[] {
  const link = `<a href="${xml(entry.href)}">${xml(entry.label)}</a>`;
  if (entry.children.length === 0) return [`${indent}<li>${link}</li>`];
  return [`${indent}<li>${link}`, `${indent}  <ol>`, ...entry.children.flatMap((child) => navItems(child, `${indent}    `)), `${indent}  </ol>`, `${indent}</li>`];
}

export function tocNcx(meta: EpubMetadata, toc: NavEntry[], contents: BookContents): string {
  // NCX wants one playOrder per target: a page's entry and its first headline (or its page-list entry) share theirs.
  let playOrder = 0;
  const orders = new Map<string, number>();
  const orderOf = (href: string): number => {
    const known = orders.get(href);
    if (known !== undefined) return known;
    playOrder += 1;
    orders.set(href, playOrder);
    return playOrder;
  };
  let navPoints = 0;
  const point = (entry: NavEntry, indent: string): string[] => {
    navPoints += 1;
    return [
      `${indent}<navPoint id="navpoint-${navPoints}" playOrder="${orderOf(entry.href)}">`,
      `${indent}  <navLabel><text>${xml(entry.label)}</text></navLabel>`,
      `${indent}  <content src="${xml(entry.href)}"/>`,
      ...entry.children.flatMap((child) => point(child, `${indent}  `)),
      `${indent}</navPoint>`,
    ];
  };
  const points = toc.flatMap((entry) => point(entry, '    '));
  const pages = contents.pageList.length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="${xml(meta.lang)}">`,
    '  <head>',
    `    <meta name="dtb:uid" content="${xml(meta.identifier)}"/>`,
    `    <meta name="dtb:depth" content="${Math.max(...toc.map(depth))}"/>`,
    `    <meta name="dtb:totalPageCount" content="${pages}"/>`,
    `    <meta name="dtb:maxPageNumber" content="${pages}"/>`,
    '  </head>',
    `  <docTitle><text>${xml(meta.title)}</text></docTitle>`,
    ...meta.authors.map((author) => `  <docAuthor><text>${xml(author)}</text></docAuthor>`),
    '  <navMap>',
    ...points,
    '  </navMap>',
    '  <pageList>',
    `    <navLabel><text>${xml(labels(meta.lang).pages)}</text></navLabel>`,
    ...contents.pageList.map(
      (page, index) =>
        `    <pageTarget id="pagetarget-${index + 1}" type="normal" value="${index + 1}" playOrder="${orderOf(page.href)}"><navLabel><text>${xml(page.label)}</text></navLabel><content src="${xml(page.href)}"/></pageTarget>`,
    ),
    '  </pageList>',
    '</ncx>',
    '',
  ].join('\n');
}

function depth(entry: NavEntry): number {
  return 1 + Math.max(0, ...entry.children.map(depth));
}

function xhtmlHead(lang: string, title: string): string[] {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE html>',
    `<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="${xml(lang)}" xml:lang="${xml(lang)}">`,
    '<head>',
    '<meta charset="UTF-8" />',
    `<title>${xml(title)}</title>`,
    `<link rel="stylesheet" type="text/css" href="${STYLESHEET_FILE}" />`,
    '</head>',
  ];
}

interface Words {
  contents: string;
  landmarks: string;
  bodymatter: string;
  pages: string;
  cover: string;
  coverAlt: (title: string) => string;
}

/** The book's few words of its own, in its language where we have them. */
function labels(lang: string): Words {
  if (/^zh\b/i.test(lang)) {
    const traditional = /^zh-(?:Hant|TW|HK|MO)\b/i.test(lang);
    return {
      contents: traditional ? '目錄' : '目录',
      landmarks: traditional ? '導覽' : '导览',
      bodymatter: '正文',
      pages: traditional ? '頁碼' : '页码',
      cover: traditional ? '封面' : '封面',
      coverAlt: (title) => (traditional ? `印刷版第1頁版面，刊登《${title}》；全文見正文。` : `印刷版第1页版面，刊登《${title}》；全文见正文。`),
    };
  }
  return {
    contents: 'Contents',
    landmarks: 'Landmarks',
    bodymatter: 'Start of content',
    pages: 'Pages',
    cover: 'Cover',
    coverAlt: (title) => `Page 1 of the printed edition, with “${title}”; the full text follows.`,
  };
}
