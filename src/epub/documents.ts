// The package documents of the EPUB, written whole: content.opf, the nav
// document, toc.ncx (for EPUB 2 reading systems) and the chapter page.
// epub-gen-memory renders them as its custom templates (see index.ts).
import type { SectionHead } from '../transform/index.js';
import { stripNonXml } from './chapter.js';
import type { EpubMetadata } from './metadata.js';

export const CHAPTER_FILE = 'article.xhtml';
export const NAV_FILE = 'nav.xhtml';
export const NCX_FILE = 'toc.ncx';
export const STYLESHEET_FILE = 'style.css';

/** Text for an XML text node or a double-quoted attribute value. */
export function xml(value: string): string {
  return stripNonXml(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function contentOpf(meta: EpubMetadata): string {
  const creators = meta.authors.flatMap((author, index) => [
    `    <dc:creator id="creator-${index + 1}">${xml(author)}</dc:creator>`,
    `    <meta refines="#creator-${index + 1}" property="role" scheme="marc:relators">aut</meta>`,
  ]);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="pub-id" xml:lang="${xml(meta.lang)}">`,
    '  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">',
    `    <dc:identifier id="pub-id">${xml(meta.identifier)}</dc:identifier>`,
    `    <dc:title>${xml(meta.title)}</dc:title>`,
    `    <dc:language>${xml(meta.lang)}</dc:language>`,
    ...creators,
    ...(meta.description === undefined ? [] : [`    <dc:description>${xml(meta.description)}</dc:description>`]),
    ...(meta.publisher === undefined ? [] : [`    <dc:publisher>${xml(meta.publisher)}</dc:publisher>`]),
    ...(meta.date === undefined ? [] : [`    <dc:date>${xml(meta.date)}</dc:date>`]),
    `    <meta property="dcterms:modified">${xml(meta.modified)}</meta>`,
    `    <meta name="generator" content="${xml(meta.generator)}"/>`,
    '  </metadata>',
    '  <manifest>',
    `    <item id="nav" href="${NAV_FILE}" media-type="application/xhtml+xml" properties="nav"/>`,
    `    <item id="ncx" href="${NCX_FILE}" media-type="application/x-dtbncx+xml"/>`,
    `    <item id="css" href="${STYLESHEET_FILE}" media-type="text/css"/>`,
    `    <item id="article" href="${CHAPTER_FILE}" media-type="application/xhtml+xml"/>`,
    '  </manifest>',
    '  <spine toc="ncx">',
    '    <itemref idref="article"/>',
    '  </spine>',
    '</package>',
    '',
  ].join('\n');
}

/** The chapter page around the article's markup. */
export function chapterXhtml(meta: EpubMetadata, articleMarkup: string): string {
  return [
    ...xhtmlHead(meta.lang, meta.title),
    '<body>',
    articleMarkup,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

interface NavEntry {
  label: string;
  href: string;
  children: NavEntry[];
}

/** The headline, with the 小标题 under it (h3 heads under the h2 before them). */
export function navTree(meta: EpubMetadata, heads: SectionHead[]): NavEntry {
  const root: NavEntry = { label: meta.title, href: CHAPTER_FILE, children: [] };
  let lastSection: NavEntry | undefined;
  for (const head of heads) {
    const entry: NavEntry = { label: head.text, href: `${CHAPTER_FILE}#${head.id}`, children: [] };
    if (head.level === 3 && lastSection) lastSection.children.push(entry);
    else {
      root.children.push(entry);
      if (head.level === 2) lastSection = entry;
    }
  }
  return root;
}

export function navXhtml(meta: EpubMetadata, nav: NavEntry): string {
  const words = labels(meta.lang);
  return [
    ...xhtmlHead(meta.lang, words.contents),
    '<body>',
    '<nav epub:type="toc" id="toc">',
    `<h1>${xml(words.contents)}</h1>`,
    '<ol>',
    ...navItems(nav, ''),
    '</ol>',
    '</nav>',
    '<nav epub:type="landmarks" id="landmarks" hidden="hidden">',
    `<h2>${xml(words.landmarks)}</h2>`,
    '<ol>',
    `<li><a epub:type="bodymatter" href="${CHAPTER_FILE}">${xml(words.bodymatter)}</a></li>`,
    '</ol>',
    '</nav>',
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

export function tocNcx(meta: EpubMetadata, nav: NavEntry): string {
  let playOrder = 0;
  const point = (entry: NavEntry, indent: string): string[] => {
    playOrder += 1;
    return [
      `${indent}<navPoint id="navpoint-${playOrder}" playOrder="${playOrder}">`,
      `${indent}  <navLabel><text>${xml(entry.label)}</text></navLabel>`,
      `${indent}  <content src="${xml(entry.href)}"/>`,
      ...entry.children.flatMap((child) => point(child, `${indent}  `)),
      `${indent}</navPoint>`,
    ];
  };
  const points = point(nav, '    ');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="${xml(meta.lang)}">`,
    '  <head>',
    `    <meta name="dtb:uid" content="${xml(meta.identifier)}"/>`,
    `    <meta name="dtb:depth" content="${depth(nav)}"/>`,
    '    <meta name="dtb:totalPageCount" content="0"/>',
    '    <meta name="dtb:maxPageNumber" content="0"/>',
    '  </head>',
    `  <docTitle><text>${xml(meta.title)}</text></docTitle>`,
    ...meta.authors.map((author) => `  <docAuthor><text>${xml(author)}</text></docAuthor>`),
    '  <navMap>',
    ...points,
    '  </navMap>',
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

/** The nav's few words, in the book's language where we have them. */
function labels(lang: string): { contents: string; landmarks: string; bodymatter: string } {
  if (/^zh\b/i.test(lang)) {
    return /^zh-(?:Hant|TW|HK|MO)\b/i.test(lang)
      ? { contents: '目錄', landmarks: '導覽', bodymatter: '正文' }
      : { contents: '目录', landmarks: '导览', bodymatter: '正文' };
  }
  return { contents: 'Contents', landmarks: 'Landmarks', bodymatter: 'Start of content' };
}

/**
 * A finished document as an EJS template that renders to itself. Only `<%`
 * and `%>` mean anything to EJS; in well-formed markup they can stand only in
 * text or attribute values, where a character reference means the same thing
 * (a bare `%>` in text, as in "5%>3%", would otherwise vanish).
 */
export function asTemplate(document: string): string {
  return document.replaceAll('<%', '&#x3C;%').replaceAll('%>', '%&#x3E;');
}
