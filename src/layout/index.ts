// Layout: the article tree + the template + the page preset + the fonts →
// one page HTML document, ready for the print stage to load from disk.
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Element, ElementContent, Root } from 'hast';
import { h } from 'hastscript';
import rehypeParse from 'rehype-parse';
import rehypeStringify from 'rehype-stringify';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import type { Article, RunningHead } from '../content/load.js';
import { loadFonts, type FontSpec, type LoadedFont } from './fonts.js';
import { geometryCss, pageGeometry, type PageGeometry } from './presets.js';

export { loadFonts, missingGlyphs, undrawable, type LoadedFont } from './fonts.js';
export { PRESETS, pageGeometry, type PageGeometry } from './presets.js';

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

export const TEMPLATES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../templates');

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
}

export interface LayoutOptions {
  /** Body size in pt; defaults to the top of the preset's range (the copyfit narrows it in the page). */
  bodySize?: number;
  /**
   * Where the page finds a file (stylesheet, font, photo) given its absolute path.
   * Default: a file:// URL, for the print page; the published HTML links relatively.
   */
  assetUrl?: (path: string) => string;
}

export const fileUrl = (path: string): string => pathToFileURL(path).href;

/** Links from an HTML file in `fromDir`, so the page still finds its files when the project moves. */
export function relativeUrl(fromDir: string): (path: string) => string {
  return (path) => relative(fromDir, path).split(sep).map(encodeURIComponent).join('/');
}

export function renderPage(article: Article, tree: Root, template: Template, options: LayoutOptions = {}): PageDocument {
  const layout = article.frontMatter.layout;
  const geometry = pageGeometry(layout?.preset, layout?.columns);
  const bodySize = options.bodySize ?? geometry.bodySize.max;
  const assetUrl = options.assetUrl ?? fileUrl;
  const page = structuredClone(template.html);
  const articleNodes = tree.children.filter((node): node is ElementContent => node.type === 'element');

  visit(page, 'element', (node: Element) => {
    if (node.tagName === 'html') node.properties = { ...node.properties, lang: article.frontMatter.lang };
    if (node.tagName === 'head') {
      node.children.push(
        ...[...template.fonts.map((font) => font.cssPath), ...template.css].map((path) => h('link', { rel: 'stylesheet', href: assetUrl(path) })),
        h('style#page-geometry', geometryCss(geometry, bodySize)),
      );
    }
    switch (node.properties?.dataSlot) {
      case 'title':
        node.children = [{ type: 'text', value: article.frontMatter.headline }];
        break;
      case 'running-head':
        node.children = runningHead(article.runningHead);
        break;
      case 'article':
        node.children = structuredClone(articleNodes);
        break;
    }
  });
  // The page is loaded from a work folder: point relative image paths at the article's own folder.
  const contentDir = dirname(article.file.path);
  visit(page, 'element', (node: Element) => {
    const src = node.tagName === 'img' ? node.properties.src : undefined;
    if (typeof src === 'string' && !/^[a-z][a-z0-9+.-]*:/i.test(src)) {
      node.properties.src = assetUrl(resolve(contentDir, src));
    }
  });
  const html = unified().use(rehypeStringify).stringify(page);
  return { html, geometry, bodySize };
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
