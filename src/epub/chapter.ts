// The article tree as the EPUB chapter's XHTML: the same tree the page is
// printed from, with what an EPUB cannot carry taken out and nothing added to
// the text. Serialized as XML (self-closed voids, numeric references only).
import type { Element, ElementContent, Properties, Root, RootContent } from 'hast';
import rehypeStringify from 'rehype-stringify';
import { unified } from 'unified';
import { hasClass } from './metadata.js';

export interface Chapter {
  /** The `<article>` element as XHTML markup. */
  markup: string;
  /** Every `id` in the chapter, for checking the nav's targets. */
  ids: Set<string>;
}

const serializer = unified().use(rehypeStringify, {
  // XHTML wants `<br />`; hex references (`&#x26;`) are XML's as much as HTML's, named ones are not.
  closeSelfClosing: true,
  characterReferences: { useNamedReferences: false },
});

export function articleChapter(tree: Root, lang: string): Chapter {
  const source = tree.children.find((node): node is Element => node.type === 'element' && node.tagName === 'article');
  if (!source) throw new Error('buildEpub needs the tree from transformArticle: it has no <article> element');
  // The page is made from the same tree: work on a copy.
  const article = structuredClone(source);
  const ids = new Set<string>();
  collectIds(article, ids);
  const [clean] = epubNodes(article, { ids, inFigure: false });
  if (!clean || clean.type !== 'element') throw new Error('the article element was removed');
  // The chapter speaks the book's language, whatever the tree was given.
  clean.properties = { ...clean.properties, lang, xmlLang: lang };
  const markup = xmlSafe(serializer.stringify({ type: 'root', children: [clean] }));
  return { markup, ids };
}

interface WalkState {
  ids: Set<string>;
  inFigure: boolean;
}

/** One node in, zero or more nodes out. */
function epubNodes(node: ElementContent, state: WalkState): ElementContent[] {
  if (node.type === 'text') return [{ type: 'text', value: stripNonXml(node.value) }];
  if (node.type !== 'element') return []; // comments; raw HTML was never printed either
  if (state.inFigure && hasClass(node, 'photo')) {
    // A figure in the EPUB is its caption until photos can be embedded: no
    // placeholder frame, no broken image.
    return [];
  }
  if (node.tagName === 'img') {
    // Images in the body: EPUB 3 forbids remote images and local ones are not
    // packed yet, so keep only the alternative text as the image's name.
    const alt = typeof node.properties.alt === 'string' ? stripNonXml(node.properties.alt).trim() : '';
    if (alt === '') return [];
    return [{ type: 'element', tagName: 'span', properties: { className: ['image', 'placeholder'], role: 'img', ariaLabel: alt }, children: [] }];
  }
  const inner: WalkState = { ...state, inFigure: state.inFigure || node.tagName === 'figure' };
  const children = node.children.flatMap((child) => epubNodes(child, inner));
  // The words of a link stay; a target the EPUB cannot reach goes.
  if (node.tagName === 'a' && !linkResolves(node.properties.href, state.ids)) return children;
  return [{ ...node, properties: cleanProperties(node.properties), children }];
}

function cleanProperties(properties: Properties): Properties {
  const out: Properties = {};
  for (const [key, value] of Object.entries(properties)) {
    // XML has no minimized attributes (`<input disabled>`); the tree's
    // generator makes none, so drop rather than misstate one.
    if (value === true || value === null || value === undefined || value === false) continue;
    out[key] = typeof value === 'string' ? stripNonXml(value) : Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? stripNonXml(item) : item)) : value;
  }
  // In XHTML only xml:lang counts; EPUB readers look at both.
  if (typeof out.lang === 'string') out.xmlLang = out.lang;
  return out;
}

/** Links that work in the EPUB: to the web, to mail, or to an id in this chapter. */
function linkResolves(href: Properties[string], ids: Set<string>): boolean {
  if (typeof href !== 'string') return false;
  if (href.startsWith('#')) return ids.has(decodeURIComponentSafe(href.slice(1)));
  return /^(?:https?|mailto):/i.test(href);
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function collectIds(node: Element | RootContent, ids: Set<string>): void {
  if (node.type !== 'element') return;
  if (typeof node.properties.id === 'string') ids.add(node.properties.id);
  for (const child of node.children) collectIds(child, ids);
}

/** Characters XML 1.0 cannot hold at all (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/F). */
const NON_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function stripNonXml(value: string): string {
  return value.replace(NON_XML, '');
}

/**
 * HTML serializers leave `>` bare in text; in XML `]]>` in text is an error.
 * The markup has no CDATA sections, so every `]]>` is text (or an attribute
 * value, where the reference means the same).
 */
function xmlSafe(markup: string): string {
  return markup.replaceAll(']]>', ']]&#x3E;');
}
