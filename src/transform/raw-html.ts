// Raw HTML in an article is parsed into the tree (rehype-raw) and then the
// whole tree is cleaned with a schema of our own: the text stays; scripts,
// frames, objects, styles, event handlers, `javascript:` links and anything
// that could load a file or a URL go. What Markdown itself makes (GFM tables,
// task lists, footnotes) passes the schema untouched; what is removed is
// reported with its line — as raw HTML only when the author wrote it as HTML —
// so nothing disappears silently. A character reference that XML cannot
// carry is refused.
import type { Element, Root, RootContent } from 'hast';
import { defaultSchema, sanitize, type Schema } from 'hast-util-sanitize';
import { find, html } from 'property-information';
import rehypeRaw from 'rehype-raw';
import type { Position } from 'unist';
import type { VFile } from 'vfile';
import { ALIGNMENTS, alignmentClass } from './table-alignment.js';

/** Elements dropped with everything inside them: their content is code or a document of its own, not article text. */
const STRIP = ['script', 'style', 'link', 'meta', 'base', 'template', 'noscript', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'svg', 'math', 'title', 'textarea', 'select'];

const defaults = defaultSchema.attributes ?? {};

/**
 * GitHub's schema (hast-util-sanitize's default) narrowed for print and EPUB:
 * no presentational attributes (they are invalid in the EPUB's XHTML and fight
 * the page CSS; a GFM cell's alignment arrives as a class, see
 * table-alignment.ts), no classes but the few Markdown itself makes (a raw
 * `class="page"` would break the layout), no `name` (it can shadow
 * `document.fonts`), and ids only in the `user-content-` space that
 * remark-rehype uses, so they never collide with the page's own ids.
 */
export const articleSchema: Schema = {
  ...defaultSchema,
  tagNames: (defaultSchema.tagNames ?? []).filter((tag) => !['picture', 'source', 'strike', 'details', 'summary'].includes(tag)).concat(['figure', 'figcaption', 'mark', 'small', 'u', 'abbr', 'cite', 'dfn', 'caption']),
  strip: STRIP,
  clobber: [],
  clobberPrefix: '',
  attributes: {
    a: defaults.a ?? [],
    code: defaults.code ?? [],
    h2: defaults.h2 ?? [],
    img: ['src', 'alt', 'title'],
    // A GFM task's box: a disabled checkbox, ticked or not.
    input: [...(defaults.input ?? []), 'checked'],
    li: defaults.li ?? [],
    ol: [...(defaults.ol ?? []), 'start', 'reversed'],
    section: defaults.section ?? [],
    ul: defaults.ul ?? [],
    blockquote: ['cite'],
    q: ['cite'],
    del: ['cite', 'dateTime'],
    ins: ['cite', 'dateTime'],
    td: ['colSpan', 'rowSpan', 'headers', ['className', ...ALIGNMENTS.map(alignmentClass)]],
    th: ['colSpan', 'rowSpan', 'headers', 'scope', 'abbr', ['className', ...ALIGNMENTS.map(alignmentClass)]],
    abbr: ['title'],
    '*': ['lang', 'dir', 'title', ['id', /^user-content-/, 'footnote-label'], 'ariaDescribedBy', 'ariaLabel', 'ariaLabelledBy'],
  },
  protocols: {
    href: ['http', 'https', 'mailto'],
    cite: ['http', 'https'],
    // Photos in the body load from the content folder (relative paths), or from the web with --allow-remote.
    src: ['http', 'https'],
  },
};

/** The schema for one element alone, its attributes tried one at a time: a cell out of its table is still a cell. */
const oneElementSchema: Schema = { ...articleSchema, ancestors: {} };

/** Characters XML 1.0 cannot hold: C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF. */
export const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;

export default function rawHtml() {
  const parseRaw = rehypeRaw();
  return (tree: Root, file: VFile): Root => {
    const parsed = parseRaw(tree, file);
    reportRemovals(parsed, file, { place: undefined, authored: false, source: String(file.value) });
    const clean = sanitize(parsed, articleSchema) as Root;
    uniqueIds(clean, new Set());
    refuseNonXml(clean, file, undefined);
    return clean;
  };
}

interface Walk {
  /** The nearest place known: elements parse5 implies (a table's tbody) have none of their own. */
  place: Position | undefined;
  /** Whether the nearest element with a place was written by the author as HTML. */
  authored: boolean;
  source: string;
}

/**
 * An element the author wrote as HTML starts, in the source, with its own start
 * tag; nothing Markdown makes does (a line that starts with `<p ` or `<td>` is an
 * HTML block, an autolink `<https://…>` is no tag). An element without a place
 * (a task's box, a tbody parse5 implies) belongs with its parent.
 */
function authoredAsHtml(node: Element, walk: Walk): boolean {
  const start = node.position?.start.offset;
  if (start === undefined) return walk.authored;
  const opening = walk.source.slice(start, start + node.tagName.length + 2).toLowerCase();
  return opening.startsWith(`<${node.tagName.toLowerCase()}`) && /[\s/>]/.test(opening.at(-1) ?? '');
}

/** One warning per removed element or attribute, at its line in the article. */
function reportRemovals(node: Root | RootContent, file: VFile, walk: Walk): void {
  if (node.type !== 'element' && node.type !== 'root') return;
  let here = walk;
  if (node.type === 'element') {
    here = { ...walk, place: node.position ?? walk.place, authored: authoredAsHtml(node, walk) };
    const allowed = articleSchema.tagNames?.includes(node.tagName) ?? false;
    if (!allowed) {
      const stripped = STRIP.includes(node.tagName);
      warn(
        file,
        here.place,
        stripped
          ? `raw HTML <${node.tagName}> is removed with its content: articles may not carry scripts, styles, frames, objects or embedded documents; write the text as Markdown`
          : `raw HTML <${node.tagName}> is not kept (its text is); write it as Markdown`,
      );
      if (stripped) return;
    } else {
      for (const [key, value] of Object.entries(node.properties)) {
        const kept = sanitize({ type: 'element', tagName: node.tagName, properties: { [key]: value }, children: [] }, oneElementSchema) as unknown as Element;
        if (kept.properties?.[key] === undefined) {
          const name = find(html, key).attribute;
          const shown = `${name}="${String(value).slice(0, 40)}"`;
          if (here.authored) warn(file, here.place, `raw HTML attribute ${shown} on <${node.tagName}> is removed: ${whyNot(name)}`);
          else warn(file, here.place, `the Markdown ${MADE_BY_MARKDOWN[node.tagName] ?? `<${node.tagName}>`}’s ${shown} is removed: ${whyNot(name)}`, 'unsafe-url');
        }
      }
    }
  }
  for (const child of node.children) reportRemovals(child, file, here);
}

const MADE_BY_MARKDOWN: Record<string, string> = { a: 'link', img: 'image' };

function whyNot(attribute: string): string {
  if (/^on/i.test(attribute)) return 'nothing in an article runs as a script';
  if (attribute === 'href' || attribute === 'src' || attribute === 'cite') return 'links may go to http(s) or mailto, photos may load from the content folder (or the web with --allow-remote), nothing else';
  if (attribute === 'style' || attribute === 'class') return 'the page styles come from the template; use Markdown for emphasis';
  if (attribute === 'id' || attribute === 'name') return 'ids and names are the page’s own';
  return 'the page and the EPUB do not use it';
}

function warn(file: VFile, place: Position | undefined, reason: string, ruleId = 'raw-html'): void {
  file.message(reason, { place, ruleId, source: 'presswork' });
}

/** The first element with an id keeps it; a repeat would make the EPUB's XHTML invalid. */
function uniqueIds(node: Root | RootContent, seen: Set<string>): void {
  if (node.type !== 'element' && node.type !== 'root') return;
  if (node.type === 'element') {
    const id = node.properties.id;
    if (typeof id === 'string') {
      if (seen.has(id)) delete node.properties.id;
      else seen.add(id);
    }
  }
  for (const child of node.children) uniqueIds(child, seen);
}

/** A character reference in raw HTML (`&#1;`) can make a character XML cannot carry: refuse it where it stands. */
function refuseNonXml(node: Root | RootContent, file: VFile, near: Position | undefined): void {
  const place = 'position' in node && node.position ? node.position : near;
  const values: string[] = [];
  if (node.type === 'text') values.push(node.value);
  if (node.type === 'element') for (const value of Object.values(node.properties)) if (typeof value === 'string') values.push(value);
  for (const value of values) {
    const match = NOT_XML.exec(value);
    if (match) {
      const code = match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      file.fail(`the raw HTML here makes the character U+${code}, which XML (and so the EPUB) cannot carry; remove the character reference that makes it (e.g. \`&#${parseInt(code, 16)};\`)`, {
        place,
        ruleId: 'raw-html',
        source: 'presswork',
      });
    }
  }
  if (node.type === 'element' || node.type === 'root') for (const child of node.children) refuseNonXml(child, file, place);
}
