// Layout: the article tree + the template + the page preset + the fonts →
// one page HTML document, ready for the print stage to load from disk.
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Element, ElementContent, Root } from 'hast';
import { toText } from 'hast-util-to-text';
import { h } from 'hastscript';
import rehypeParse from 'rehype-parse';
import rehypeStringify from 'rehype-stringify';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import type { Article, RunningHead } from '../content/load.js';
import { loadDefaultSimplifiedChineseParser } from 'budoux';
import { folioNumbering, type FolioNumbering } from './folio.js';
import { loadFonts, type FontSpec, type LoadedFont } from './fonts.js';
import { srcPath } from '../paths.js';
import { hasUrlScheme } from './photos.js';
import { geometryCss, pageGeometry, type PageGeometry } from './presets.js';
import { PACKAGE_ROOT } from '../version.js';

export { loadFonts, missingGlyphs, undrawable, type LoadedFont } from './fonts.js';
export { PRESETS, pageGeometry, type PageGeometry } from './presets.js';
export { folioNumbering, type FolioNumbering } from './folio.js';
export { depthFlex, editionPageGeometry, moduleFlex, moduleGeometry, renderEditionPage, restack, shiftedSplits, type Box, type DepthSplit, type ModuleCopy } from './edition.js';

export interface Template {
  name: string;
  dir: string;
  html: Root;
  css: string[];
  fonts: LoadedFont[];
}

interface TemplateManifest {
  html: string;
  css: string[];
  fonts: FontSpec[];
}

export const TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates');

/** Reads `templates/<name>/template.json` and what it names. Done once per build. */
export function loadTemplate(name = 'newspaper', root = TEMPLATES_DIR): Template {
  const dir = join(root, name);
  const manifest = JSON.parse(readFileSync(join(dir, 'template.json'), 'utf8')) as TemplateManifest;
  const html = unified().use(rehypeParse).parse(readFileSync(join(dir, manifest.html), 'utf8'));
  return {
    name,
    dir,
    html,
    css: manifest.css.map((file) => join(dir, file)),
    fonts: loadFonts(manifest.fonts),
  };
}

export interface PageDocument {
  html: string;
  geometry: PageGeometry;
  bodySize: number;
  /** How continuation pages are numbered. */
  folio: FolioNumbering;
  /** The font families the template loads: any other font on the page is a system fallback. */
  families: string[];
}

export interface LayoutOptions {
  /** Body size in pt; defaults to the top of the preset's range (the copyfit narrows it in the page). */
  bodySize?: number;
  /** Line height as a multiple of the body size; defaults to the preset's. */
  leading?: number;
  /**
   * Where the page finds a file (stylesheet, font, photo) given its absolute path.
   * Default: a file:// URL, for the print page; the published HTML links relatively.
   */
  assetUrl?: (path: string) => string;
  /** The page's geometry as decided by the caller (an edition module's box), instead of the article's layout. */
  geometry?: PageGeometry;
  /** A module of an edition page: no 报眉, masthead or page foot of its own (the edition page carries them). */
  module?: boolean;
}

export const fileUrl = (path: string): string => pathToFileURL(path).href;

/** Links from an HTML file in `fromDir`, so the page still finds its files when the project moves. */
export function relativeUrl(fromDir: string): (path: string) => string {
  return (path) => relative(fromDir, path).split(sep).map(encodeURIComponent).join('/');
}

export function renderPage(article: Article, tree: Root, template: Template, options: LayoutOptions = {}): PageDocument {
  const geometry = options.geometry ?? pageGeometry(article.layout);
  const bodySize = options.bodySize ?? geometry.bodySize.max;
  const leading = options.leading ?? geometry.leading.min;
  const assetUrl = options.assetUrl ?? fileUrl;
  const articleNodes = tree.children.filter((node): node is ElementContent => node.type === 'element');
  const page = pageShell(template, {
    lang: article.frontMatter.lang,
    title: article.frontMatter.headline,
    head: article.runningHead,
    geometry,
    css: geometryCss(geometry, bodySize, leading),
    assetUrl,
    classes: options.module ? ['module-page'] : [],
    typeArea: structuredClone(articleNodes),
  });
  // The page is loaded from a work folder: point relative image paths at the article's own folder.
  const contentDir = dirname(article.file.path);
  visit(page, 'element', (node: Element) => {
    const src = node.tagName === 'img' ? node.properties.src : undefined;
    if (typeof src === 'string' && !hasUrlScheme(src)) {
      node.properties.src = assetUrl(resolve(contentDir, srcPath(src)));
    }
    // A link to a path (`other.md`) leads nowhere from the PDF or the published page, and Chromium
    // would print it as a link into the build's temporary folder, a new one every build: it keeps
    // its words, unlinked, as in the EPUB. Links into the page (`#…`) and to the web stay.
    const href = node.tagName === 'a' ? node.properties.href : undefined;
    if (typeof href === 'string' && !href.startsWith('#') && !hasUrlScheme(href)) delete node.properties.href;
  });
  breakHeadlinesAtPhrases(page);
  keepLastCharactersTogether(page);
  const html = unified().use(rehypeStringify).stringify(page);
  return {
    html,
    geometry,
    bodySize,
    folio: folioNumbering(article.runningHead.page),
    families: [...new Set(template.fonts.map((font) => font.family))],
  };
}

/**
 * The page as the print laid it out (every page, at the chosen settings: the
 * `<body>` the print stage returns) inside the document `renderPage` made,
 * with the print page's file:// links rewritten by `assetUrl`.
 */
export function withLaidOutBody(html: string, laidOut: string, assetUrl: (path: string) => string): string {
  const body = laidOut.replace(/(src|href)="file:\/\/([^"]+)"/g, (_match, attribute: string, path: string) => `${attribute}="${assetUrl(fileURLToPath(`file://${path}`))}"`);
  return html.replace(/<body>[\s\S]*<\/body>/, () => `<body>${body}</body>`);
}

export interface ShellOptions {
  lang: string;
  title: string;
  head: RunningHead;
  geometry: PageGeometry;
  /** The page's geometry CSS (custom properties, @page size). */
  css: string;
  assetUrl: (path: string) => string;
  /** Classes of the page besides `page`, `depth-…` and `front-page`. */
  classes: string[];
  /** What the type area holds. */
  typeArea: ElementContent[];
}

/** The template's page with its slots filled: title, 报眉, masthead, page foot and type area. */
export function pageShell(template: Template, options: ShellOptions): Root {
  const { geometry, head, assetUrl } = options;
  const page = structuredClone(template.html);
  visit(page, 'element', (node: Element) => {
    if (node.tagName === 'html') node.properties = { ...node.properties, lang: options.lang };
    if (node.tagName === 'head') {
      node.children.push(
        ...[...template.fonts.map((font) => font.cssPath), ...template.css].map((path) => h('link', { rel: 'stylesheet', href: assetUrl(path) })),
        h('style#page-geometry', options.css),
      );
    }
    if (node.properties?.dataPage === '1') {
      const classes = ['page', `depth-${geometry.depth}`, ...options.classes];
      if (geometry.masthead) classes.push('front-page');
      node.properties.className = classes;
    }
    switch (node.properties?.dataSlot) {
      case 'title':
        node.children = [{ type: 'text', value: options.title }];
        break;
      case 'running-head':
        node.children = runningHead(head);
        break;
      case 'masthead':
        node.children = geometry.masthead ? masthead(head) : [];
        break;
      case 'page-foot':
        node.children = pageFoot(head);
        break;
      case 'article':
        node.children = options.typeArea;
        break;
    }
  });
  return page;
}

const weekdays = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];

/** 2026-11-29 → 2026年11月29日 星期日 */
export function formatChineseDate(iso: string): string {
  const date = new Date(`${iso}T00:00:00Z`);
  return `${date.getUTCFullYear()}年${date.getUTCMonth() + 1}月${date.getUTCDate()}日 ${weekdays[date.getUTCDay()]}`;
}

/** 3 → 第3版; a label such as A03 is printed as A03版. */
export function formatPageNumber(page: number | string): string {
  return typeof page === 'number' ? `第${page}版` : `${page}版`;
}

function runningHead(head: RunningHead): ElementContent[] {
  return [
    h('div.folio', [
      head.page !== undefined ? h('span.page-no', formatPageNumber(head.page)) : undefined,
      head.section ? h('span.section', head.section) : undefined,
    ]),
    h('div.paper', head.paper ?? ''),
    h('div.date', head.date ? formatChineseDate(head.date) : ''),
  ];
}

function masthead(head: RunningHead): ElementContent[] {
  return [
    h('div.masthead-title', head.paper ?? ''),
    h('div.masthead-line', [
      head.date ? h('span.date', formatChineseDate(head.date)) : undefined,
      head.issue !== undefined ? h('span.issue', `第${head.issue}期`) : undefined,
      head.page !== undefined ? h('span.page-no', formatPageNumber(head.page)) : undefined,
      head.section ? h('span.section', head.section) : undefined,
    ]),
  ];
}

function pageFoot(head: RunningHead): ElementContent[] {
  return [h('span.paper', head.paper ?? ''), head.page !== undefined ? h('span.page-no', formatPageNumber(head.page)) : h('span.page-no')];
}

let phraseParser: ReturnType<typeof loadDefaultSimplifiedChineseParser> | undefined;

/**
 * Headlines break only between phrases (BudouX's zh-hans model): a <wbr> at
 * each phrase boundary, with `word-break: keep-all` in the CSS. No character
 * is added to the text.
 */
function breakHeadlinesAtPhrases(page: Root): void {
  phraseParser ??= loadDefaultSimplifiedChineseParser();
  const parser = phraseParser;
  visit(page, 'element', (node: Element) => {
    const classes = node.properties.className;
    if (!Array.isArray(classes) || !classes.some((name) => ['headline', 'kicker', 'deck', 'section-head'].includes(String(name)))) return;
    node.children = node.children.flatMap((child): ElementContent[] => {
      if (child.type !== 'text') return [child];
      const phrases = wholeCharacters(parser.parse(child.value));
      return phrases.flatMap((phrase, index) => (index === 0 ? [{ type: 'text', value: phrase }] : [h('wbr'), { type: 'text', value: phrase }]));
    });
  });
}

const graphemes = new Intl.Segmenter('zh', { granularity: 'grapheme' });

/**
 * BudouX cuts UTF-16 units, so it can cut a character: between the halves of 𩾌 (U+29F8C), which
 * then printed as two U+FFFD, or between 葛 and its variation selector. Phrases are joined again
 * wherever a cut is not between two user-perceived characters.
 */
function wholeCharacters(phrases: string[]): string[] {
  const text = phrases.join('');
  const starts = new Set([...graphemes.segment(text)].map((segment) => segment.index));
  const whole: string[] = [];
  let offset = 0;
  for (const phrase of phrases) {
    if (whole.length > 0 && !starts.has(offset)) whole[whole.length - 1] += phrase;
    else whole.push(phrase);
    offset += phrase.length;
  }
  return whole;
}

/** Punctuation and spaces do not count as characters of a last line (clreq's 孤字 rule). */
const NOT_A_LETTER = /[\p{P}\p{S}\s]/u;
/** Longer tails (a Latin word, a URL) are left free to break: gluing them could overflow a column. */
const LONGEST_GLUE = 8;

/**
 * A paragraph must not end on a line holding fewer than two characters. The
 * last two characters and the punctuation after them go into a nowrap span,
 * so the line breaker carries them over together. The text is unchanged.
 */
function keepLastCharactersTogether(page: Root): void {
  visit(page, 'element', (node: Element) => {
    // Body paragraphs carry no class; the headline block's kicker, deck and byline do.
    if (node.tagName !== 'p' || node.properties.className !== undefined) return;
    // The paragraph's last text may sit inside an element (<strong>…</strong> to the end).
    let container: Element = node;
    for (let end = node.children.at(-1); end?.type === 'element' && end.tagName !== 'br'; end = end.children.at(-1)) container = end;
    const last = container.children.at(-1);
    if (last?.type !== 'text') return;
    const previous = container.children.at(-2);
    // A tail of punctuation alone (`]]` after <em>username</em>) keeps with the short element before it.
    if ([...last.value].filter((char) => !NOT_A_LETTER.test(char)).length === 0 && previous?.type === 'element' && !/\s/.test(last.value)) {
      if ([...toText(previous)].length + [...last.value].length <= LONGEST_GLUE + 4) container.children.splice(-2, 2, h('span.keep-together', [previous, last]));
      return;
    }
    const chars = [...last.value];
    let start = chars.length;
    let letters = 0;
    while (start > 0 && letters < 2) {
      start -= 1;
      if (!NOT_A_LETTER.test(chars[start] ?? '')) letters += 1;
    }
    if (letters < 2 || start === 0 || chars.length - start > LONGEST_GLUE) return;
    container.children.splice(-1, 1, { type: 'text', value: chars.slice(0, start).join('') }, h('span.keep-together', chars.slice(start).join('')));
  });
}
