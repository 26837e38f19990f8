// The article tree as the EPUB chapter's XHTML: the same tree the page is
// printed from, with what an EPUB cannot carry taken out or put in its valid
// XHTML form, and nothing added to the text. Serialized as XML (self-closed
// voids, numeric references only).
import type { Element, ElementContent, Properties, Root, RootContent } from 'hast';
import rehypeStringify from 'rehype-stringify';
import { unified } from 'unified';
import type { PageStart } from '../print/index.js';
import type { PackedImage } from './images.js';
import { hasClass } from './metadata.js';
import { markPageBreaks } from './page-breaks.js';

export interface Chapter {
  /** The `<article>` element as XHTML markup. */
  markup: string;
  /** Every `id` in the chapter, for checking the nav's targets. */
  ids: Set<string>;
}

/** Every section head the nav links to is an id of the chapter: a toc entry that leads nowhere is refused. */
export function assertHeadsIn(chapter: Chapter, heads: Array<{ id: string; text: string }>): void {
  for (const head of heads) {
    if (!chapter.ids.has(head.id)) throw new Error(`section head "${head.text}" has id ${head.id}, which is not in the article tree`);
  }
}

const serializer = unified().use(rehypeStringify, {
  // XHTML wants `<br />`; hex references (`&#x26;`) are XML's as much as HTML's, named ones are not.
  closeSelfClosing: true,
  characterReferences: { useNamedReferences: false },
});

export function articleChapter(
  tree: Root,
  lang: string,
  pageStarts: PageStart[] = [],
  images = new Map<string, PackedImage>(),
  firstPage?: { page: number; label: string } | null,
): Chapter {
  const source = tree.children.find((node): node is Element => node.type === 'element' && node.tagName === 'article');
  if (!source) throw new Error('buildEpub needs the tree from transformArticle: it has no <article> element');
  // The page is made from the same tree: work on a copy.
  const article = structuredClone(source);
  // null: no marker at the start (an edition's article that is not the first on its page); undefined: page 1.
  markPageBreaks(article, pageStarts, firstPage);
  const ids = new Set<string>();
  collectIds(article, ids);
  const [clean] = epubNodes(article, { ids, seen: new Set(), inFigure: false, images });
  if (!clean || clean.type !== 'element') throw new Error('the article element was removed');
  // The chapter speaks the book's language, whatever the tree was given.
  clean.properties = { ...clean.properties, lang, xmlLang: lang };
  const markup = xmlSafe(serializer.stringify({ type: 'root', children: [clean] }));
  return { markup, ids };
}

interface WalkState {
  /** Ids that links may point to (valid XML names, first occurrence). */
  ids: Set<string>;
  /** Ids already written: a second element with the same id loses it. */
  seen: Set<string>;
  inFigure: boolean;
  /** The images packed in the book, by their `src` in the tree. */
  images: Map<string, PackedImage>;
}

/** Obsolete HTML elements → their XHTML5 equivalents; the text inside stays. */
const RENAMED: Record<string, { tagName: string; style?: string }> = {
  strike: { tagName: 's' },
  acronym: { tagName: 'abbr' },
  tt: { tagName: 'code' },
  big: { tagName: 'span', style: 'font-size: larger' },
  center: { tagName: 'div', style: 'text-align: center' },
  font: { tagName: 'span' },
  blink: { tagName: 'span' },
  marquee: { tagName: 'span' },
  nobr: { tagName: 'span', style: 'white-space: nowrap' },
};

/** Elements whose content is kept without them: no valid XHTML form here (a picture without its image, say). */
const UNWRAPPED = new Set(['picture', 'noscript']);
/** Elements dropped with their content: nothing of theirs is text a reader would see. */
const DROPPED = new Set(['source', 'track', 'script', 'style', 'template', 'iframe', 'object', 'embed', 'link', 'meta', 'base']);
/** Block content that a `<label>` cannot hold. */
const BLOCKS = new Set(['p', 'div', 'ul', 'ol', 'dl', 'table', 'blockquote', 'pre', 'figure', 'section', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'details']);

/** One node in, zero or more nodes out. */
function epubNodes(node: ElementContent, state: WalkState): ElementContent[] {
  if (node.type === 'text') return [{ type: 'text', value: stripNonXml(node.value) }];
  if (node.type !== 'element') return []; // comments; raw HTML was never printed either
  if (DROPPED.has(node.tagName)) return [];
  const packed = node.tagName === 'img' && typeof node.properties.src === 'string' ? state.images.get(node.properties.src) : undefined;
  if (packed) {
    const alt = typeof node.properties.alt === 'string' ? stripNonXml(node.properties.alt) : '';
    const className = Array.isArray(node.properties.className) ? node.properties.className : [];
    return [{ type: 'element', tagName: 'img', properties: { ...idOf(node.properties.id, state), className, src: packed.href, alt, width: packed.width, height: packed.height }, children: [] }];
  }
  if (state.inFigure && hasClass(node, 'photo')) {
    // A photo that is not in the book (no file, or it did not read) leaves its
    // caption: no placeholder frame, no broken image.
    return [];
  }
  if (node.tagName === 'img') {
    // An image that is not packed (remote: EPUB 3 forbids remote images; or
    // unreadable) keeps only its alternative text, as the image's name.
    const alt = typeof node.properties.alt === 'string' ? stripNonXml(node.properties.alt).trim() : '';
    if (alt === '') return [];
    // Its id goes with it: a link to the image (見圖) still has somewhere to go.
    return [{ type: 'element', tagName: 'span', properties: { ...idOf(node.properties.id, state), className: ['image', 'placeholder'], role: 'img', ariaLabel: alt }, children: [] }];
  }
  const inner: WalkState = { ...state, inFigure: state.inFigure || node.tagName === 'figure' };
  let children = node.children.flatMap((child) => epubNodes(child, inner));
  if (UNWRAPPED.has(node.tagName)) return children;
  // The words of a link stay; a target the EPUB cannot reach goes.
  if (node.tagName === 'a' && !linkResolves(node.properties.href, state.ids)) return children;
  const renamed = RENAMED[node.tagName];
  const properties = cleanProperties(node.tagName, node.properties, state);
  if (renamed?.style) properties.style = joinStyle(renamed.style, properties.style);
  // A task list's check box is named by its item's words (a label around them), not by added text.
  const checkBox = children.some((child) => child.type === 'element' && child.tagName === 'input');
  if (checkBox && node.tagName !== 'label' && !children.some((child) => child.type === 'element' && BLOCKS.has(child.tagName))) {
    children = [{ type: 'element', tagName: 'label', properties: {}, children }];
  }
  return [{ ...node, tagName: renamed?.tagName ?? node.tagName, properties, children }];
}

/** Presentational attributes of HTML 4 that XHTML5 no longer has; `align`/`valign` live on as CSS. */
const OBSOLETE = new Set([
  'bgColor', 'border', 'cellPadding', 'cellSpacing', 'char', 'charOff', 'axis', 'noWrap', 'compact', 'clear', 'frame', 'rules',
  'hSpace', 'vSpace', 'noShade', 'color', 'face', 'charSet', 'rev', 'shape', 'coords', 'longDesc', 'summary', 'scheme', 'noHref',
]);
/** Attributes whose value names other ids. */
const ID_REFERENCES = new Set(['ariaDescribedBy', 'ariaLabelledBy', 'ariaControls', 'ariaOwns', 'ariaFlowTo', 'ariaActiveDescendant', 'htmlFor', 'headers', 'list']);

function cleanProperties(tagName: string, properties: Properties, state: WalkState): Properties {
  const out: Properties = {};
  const styles: string[] = [];
  for (const [key, value] of Object.entries(properties)) {
    if (value === null || value === undefined || value === false) continue;
    if (OBSOLETE.has(key)) continue;
    if (key === 'align' || key === 'vAlign') {
      if (typeof value === 'string' && /^(left|right|center|justify|top|middle|bottom|baseline)$/i.test(value)) {
        styles.push(key === 'align' ? `text-align: ${value.toLowerCase()}` : `vertical-align: ${value.toLowerCase()}`);
      }
      continue;
    }
    // width/height remain only on replaced elements (table cells and rules lost them).
    if ((key === 'width' || key === 'height') && !['img', 'canvas', 'video', 'svg'].includes(tagName)) continue;
    if (key === 'id') {
      Object.assign(out, idOf(value, state));
      continue;
    }
    // Values XHTML's schema checks (EPUBCheck fails `lang="zh_CN"`, `dir="left"`, `datetime="昨天"`): kept only when valid.
    if (key === 'lang' && !(typeof value === 'string' && isLanguageTag(value))) continue;
    if (key === 'dir' && !(typeof value === 'string' && /^(ltr|rtl|auto)$/.test(value))) continue;
    if (key === 'dateTime' && !(typeof value === 'string' && DATE_TIME.test(value))) continue;
    if (ID_REFERENCES.has(key)) {
      const refs = (Array.isArray(value) ? value.map(String) : String(value).split(/\s+/)).map(decodeURIComponentSafe).filter((ref) => state.ids.has(ref));
      if (refs.length > 0) out[key] = refs.join(' ');
      continue;
    }
    // XML has no minimized attributes, and hast-util-to-html writes a boolean bare unless its
    // value is a string other than '' or the lower-case name; XHTML takes the name in any case.
    if (value === true) {
      out[key] = key.replace(/[A-Z]/g, (letter) => `-${letter}`).toUpperCase();
      continue;
    }
    out[key] = typeof value === 'string' ? stripNonXml(value) : Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? stripNonXml(item) : item)) : value;
  }
  if (styles.length > 0) out.style = joinStyle(styles.join('; '), out.style);
  // In XHTML only xml:lang counts; EPUB readers look at both.
  if (typeof out.lang === 'string') out.xmlLang = out.lang;
  return out;
}

/** Dates and times as `<time>`, `<del>` and `<ins>` take them: a year, month or day, with a time and zone or not. */
const DATE_TIME = /^\d{4,}(-\d\d(-\d\d([T ]\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:?\d\d)?)?)?)?$/;

function isLanguageTag(value: string): boolean {
  try {
    return value !== '' && Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

/**
 * The element's id as the chapter keeps it: an XML name, once. An id percent-encoded on its way
 * through Markdown (a footnote labelled [^注1] is `fn-%E6%B3%A81`) is kept decoded, which is how a
 * link's `#fn-%E6%B3%A81` finds it.
 */
function idOf(value: Properties[string], state: WalkState): { id?: string } {
  if (typeof value !== 'string') return {};
  const id = decodeURIComponentSafe(value);
  if (!state.ids.has(id) || state.seen.has(id)) return {};
  state.seen.add(id);
  return { id };
}

function joinStyle(added: string, existing: Properties[string]): string {
  return typeof existing === 'string' && existing.trim() !== '' ? `${existing.trim().replace(/;?$/, ';')} ${added}` : added;
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

/** An id XHTML's schema accepts: an XML name without a colon. */
const XML_NAME = /^[A-Za-z_\u00C0-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD][\w.\-\u00B7\u00C0-\u02FF\u0300-\u037D\u037F-\u1FFF\u200C\u200D\u203F\u2040\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]*$/;

function collectIds(node: Element | RootContent, ids: Set<string>): void {
  if (node.type !== 'element') return;
  const id = typeof node.properties.id === 'string' ? decodeURIComponentSafe(node.properties.id) : undefined;
  if (id !== undefined && XML_NAME.test(id)) ids.add(id);
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
