// Property-based tests: random Unicode and random Markdown thrown at the load,
// import and transform stages. Characters XML cannot carry are refused at load
// with their line and column; for everything else no text is lost between the
// Markdown (its text content, as CommonMark parses it) and the EPUB's XHTML,
// and that XHTML is well-formed XML.
import fc from 'fast-check';
import type { Root as HastRoot } from 'hast';
import type { Root as MdastRoot, RootContent as MdastNode } from 'mdast';
import remarkCjkFriendly from 'remark-cjk-friendly';
import remarkCjkFriendlyStrikethrough from 'remark-cjk-friendly-gfm-strikethrough';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { SaxesParser } from 'saxes';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { VFileMessage } from 'vfile-message';
import { loadArticleText } from '../src/content/load.js';
import { configSchema } from '../src/content/schema.js';
import { importText } from '../src/content/import-text.js';
import { SourceError } from '../src/content/errors.js';
import { articleChapter } from '../src/epub/chapter.js';
import { createArticleProcessor, transformArticle } from '../src/transform/index.js';

/** Runs per property: 10,500 inputs per run, the cheap properties taking the larger share. */
const RUNS = { refused: 3000, unicode: 2500, markdown: 2000, import: 3000 };
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

const config = configSchema.parse({});
const processor = createArticleProcessor();
// The pipeline reads GFM (tables, strikethrough, autolinks) with CJK-friendly emphasis; so does the reference.
const markdownParser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).use(remarkCjkFriendly).use(remarkCjkFriendlyStrikethrough);
const FRONT_MATTER = '---\nheadline: 标题\n---\n';

/** What XML cannot carry (and presswork refuses): C0/C1 controls but tab, LF, CR; DEL; U+FFFE/F; lone surrogates. */
const unprintable = (code: number) =>
  (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || (code >= 0x7f && code <= 0x9f) || code === 0xfffe || code === 0xffff;

/** First unprintable code unit of `text` (a lone surrogate counts), or -1. */
function firstUnprintable(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (unprintable(code)) return i;
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return i;
    } else if (code >= 0xdc00 && code <= 0xdfff) return i;
  }
  return -1;
}

/** Line and column (in code points) of code unit `index`, lines ending at LF, CRLF or CR. */
function place(text: string, index: number): [number, number] {
  const lines = text.slice(0, index).split(/\r\n|\r|\n/);
  return [lines.length, [...(lines.at(-1) ?? '')].length + 1];
}

const squeeze = (text: string) => text.replace(/\s+/g, '');

/** The Markdown's text content: every text, inline code and code block value, in order. */
function markdownText(markdown: string): string {
  const parts: string[] = [];
  const walk = (node: MdastRoot | MdastNode) => {
    if (node.type === 'text' || node.type === 'inlineCode' || node.type === 'code') parts.push(node.value);
    if ('children' in node) for (const child of node.children) walk(child);
  };
  walk(markdownParser.parse(markdown) as MdastRoot);
  return parts.join('');
}

/** Parses the chapter as XML (throws on any well-formedness error) and returns the body's text. */
function xhtmlBodyText(tree: HastRoot): string {
  const { markup } = articleChapter(tree, 'zh-CN');
  const parser = new SaxesParser({ xmlns: true });
  let error: Error | undefined;
  const parts: string[] = [];
  let depth = 0;
  let bodyDepth = -1;
  parser.on('error', (caught) => {
    error ??= caught;
  });
  parser.on('opentag', (tag) => {
    depth++;
    const classes = String(tag.attributes.class?.value ?? '').split(/\s+/);
    if (bodyDepth < 0 && classes.includes('article-body')) bodyDepth = depth;
  });
  parser.on('closetag', () => {
    if (depth === bodyDepth) bodyDepth = -1;
    depth--;
  });
  parser.on('text', (text) => {
    if (bodyDepth >= 0) parts.push(text);
  });
  parser.write(`<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><body>${markup}</body></html>`).close();
  if (error) throw new Error(`not well-formed XHTML: ${error.message}\n${markup}`);
  return parts.join('');
}

async function bodyTextThroughXhtml(markdown: string): Promise<string> {
  if (markdown.slice(FRONT_MATTER.length).trim() === '') {
    // A front matter with nothing below it is refused (rule empty-body); nothing to compare.
    expect(() => loadArticleText(markdown, 'fuzz.md', config)).toThrow(/has a front matter but no text/);
    return '';
  }
  const article = loadArticleText(markdown, 'fuzz.md', config);
  const tree = await transformArticle(processor, article.file);
  return xhtmlBodyText(tree);
}

// ——— generators ———

const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
/** Code points people's text really has, weighted towards the hard cases. */
const textChar = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0x4e00, max: 0x9fff }).map((code) => String.fromCodePoint(code)) }, // CJK
  { weight: 2, arbitrary: fc.constantFrom(...'，。、；：？！“”‘’（）《》「」—…·　') }, // CJK punctuation, ideographic space
  { weight: 2, arbitrary: fc.constantFrom(...'abcXYZ019 \t\n.,!?-_*#>`[]()&;\\|~=+:/\'"') }, // ASCII, Markdown syntax
  { weight: 1, arbitrary: fc.integer({ min: 0x300, max: 0x36f }).map((code) => `e${String.fromCodePoint(code)}`) }, // combining marks
  { weight: 1, arbitrary: fc.constantFrom('😀', '👩‍👩‍👧', '🇨🇳', '𠀀', '𪚥', '👍🏽') }, // emoji, ZWJ, flags, astral CJK
  { weight: 1, arbitrary: fc.constantFrom('\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u061c') }, // bidi controls
  { weight: 1, arbitrary: fc.constantFrom('\u200b', '\u200d', '\u00ad', '\ufeff', '\u2028', '\u2029', '\u00a0', '\ufffd', '&amp;', '&#12354;', '&#0;', '&bogus;') }, // invisibles, references
  { weight: 1, arbitrary: fc.integer({ min: 0x20, max: 0x10ffff }).filter((code) => (code < 0xd800 || code > 0xdfff) && !unprintable(code)).map((code) => String.fromCodePoint(code)) },
);
/** Text with no `<`: raw HTML has its own tests (raw-html.test.ts); here every character is text. */
const text = fc.array(textChar, { maxLength: 30 }).map((chars) => chars.join('').replaceAll('<', ''));
const inline = fc.oneof(
  text,
  text.map((value) => `*${value}*`),
  text.map((value) => `**${value}**`),
  text.map((value) => `\`${value.replaceAll('`', '')}\``),
  fc.tuple(text, text).map(([label, url]) => `[${label}](${url.replace(/[\s()]/g, '')})`),
);
const line = fc.array(inline, { minLength: 1, maxLength: 3 }).map((parts) => parts.join(''));
const block = fc.oneof(
  { weight: 4, arbitrary: line },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 6 }), line).map(([level, value]) => `${'#'.repeat(level)} ${value}`) },
  { weight: 1, arbitrary: fc.array(line, { minLength: 1, maxLength: 3 }).map((items) => items.map((item) => `- ${item}`).join('\n')) },
  { weight: 1, arbitrary: fc.array(line, { minLength: 1, maxLength: 3 }).map((items) => items.map((item, index) => `${index + 1}. ${item}`).join('\n')) },
  { weight: 1, arbitrary: line.map((value) => `> ${value}`) },
  { weight: 1, arbitrary: text.map((value) => `\`\`\`\n${value.replaceAll('`', '')}\n\`\`\``) },
  { weight: 1, arbitrary: fc.constant('---') },
);
const markdown = fc.array(block, { maxLength: 5 }).map((blocks) => blocks.join('\n\n'));

// ——— properties ———

describe('fuzzing the load, import and transform stages', () => {
  it(`refuses any character XML cannot carry at load, naming its line and column (${RUNS.refused} inputs)`, () => {
    const started = performance.now();
    const withBad = fc
      .tuple(fc.array(fc.oneof(textChar, anyUnit), { maxLength: 80 }), fc.constantFrom('\u0000', '\u0001', '\u0008', '\u000b', '\u000c', '\u001b', '\u007f', '\u0085', '\u009f', '\ufffe', '\uffff', '\ud800', '\udbff', '\udc00', '\udfff'), fc.array(anyUnit, { maxLength: 20 }))
      .map(([before, bad, after]) => `${before.join('')}·${bad}·${after.join('')}`); // · keeps a lone surrogate from pairing with a neighbour
    fc.assert(
      fc.property(withBad, (body) => {
        const source = FRONT_MATTER + body;
        const index = firstUnprintable(source);
        expect(index).toBeGreaterThanOrEqual(0);
        let error: unknown;
        try {
          loadArticleText(source, 'fuzz.md', config);
        } catch (caught) {
          error = caught;
        }
        expect(error).toBeInstanceOf(VFileMessage);
        const message = error as VFileMessage;
        const [line, column] = place(source, index);
        expect([message.line, message.column]).toEqual([line, column]);
        expect(message.reason).toContain(`fuzz.md:${line}:${column}: the text contains`);
        expect(message.reason).toMatch(/; delete it/);
      }),
      { numRuns: RUNS.refused, seed: SEED },
    );
    console.info(`fuzz: ${RUNS.refused} refusals in ${Math.round(performance.now() - started)} ms (seed ${SEED})`);
  });

  it(`keeps every character of random Unicode text, into well-formed XHTML (${RUNS.unicode} inputs)`, async () => {
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(text, async (body) => {
        const source = FRONT_MATTER + body;
        expect(squeeze(await bodyTextThroughXhtml(source))).toBe(squeeze(markdownText(source)));
      }),
      { numRuns: RUNS.unicode, seed: SEED },
    );
    console.info(`fuzz: ${RUNS.unicode} Unicode texts in ${Math.round(performance.now() - started)} ms`);
  });

  it(`keeps every character of random Markdown, into well-formed XHTML (${RUNS.markdown} inputs)`, async () => {
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(markdown, async (body) => {
        const source = FRONT_MATTER + body;
        expect(squeeze(await bodyTextThroughXhtml(source))).toBe(squeeze(markdownText(source)));
      }),
      { numRuns: RUNS.markdown, seed: SEED },
    );
    console.info(`fuzz: ${RUNS.markdown} Markdown documents in ${Math.round(performance.now() - started)} ms`);
  });

  it(`imports random plain text without crashing or losing a character (${RUNS.import} inputs)`, () => {
    const started = performance.now();
    const plain = fc.array(fc.oneof(textChar, textChar.map((char) => `${char}\n`), fc.constant('\n\n')), { maxLength: 120 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(plain, (source) => {
        let markdown: string;
        try {
          markdown = importText(source, { source: 'fuzz.txt' }).markdown;
        } catch (error) {
          // The only refusal allowed: a clear SourceError (e.g. a text with no headline).
          expect(error).toBeInstanceOf(SourceError);
          expect((error as SourceError).message).toContain('fuzz.txt');
          return;
        }
        // Every non-space character of the source is in the Markdown as often as in the source (the
        // front matter puts a caption's name before its title, so order is checked by the build tests).
        const counts = new Map<string, number>();
        for (const char of squeeze(markdown)) counts.set(char, (counts.get(char) ?? 0) + 1);
        for (const char of squeeze(source)) {
          const left = counts.get(char) ?? 0;
          expect(left, `lost ${JSON.stringify(char)}`).toBeGreaterThan(0);
          counts.set(char, left - 1);
        }
      }),
      { numRuns: RUNS.import, seed: SEED },
    );
    console.info(`fuzz: ${RUNS.import} plain-text imports in ${Math.round(performance.now() - started)} ms`);
  });
});
