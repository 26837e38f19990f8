// `presswork import`: plain text → Markdown article with YAML front matter.
//
// The text comes in blocks separated by blank lines: portrait captions, the
// headline stack (引题 kicker / 主题 headline / 副题 deck / byline), then body
// paragraphs and section heads (小标题). Text taken off a laid-out page also
// has paragraphs cut in two where a column ended; those are joined again and
// each join is reported. The text is sacred: every character of the source
// reaches the output, in order, and none is added — only the whitespace
// between blocks and lines changes.
import { stringify } from 'yaml';
import { SourceError } from './errors.js';

/** Two blocks joined into one paragraph; 1-based source lines on either side of the cut. */
export interface Join {
  /** Last line of the block cut off mid-sentence. */
  line: number;
  /** First line of the block that continues it. */
  nextLine: number;
  /** The last characters before the cut. */
  endsWith: string;
  /** The first characters after the cut. */
  startsWith: string;
}

/** A portrait's caption: the title line (organisation + post) and the person's name. */
export interface PhotoCaption {
  name: string;
  caption: string;
}

export interface ImportedFrontMatter {
  headline: string;
  kicker?: string;
  deck?: string;
  byline?: string;
  authors?: string[];
  photos?: PhotoCaption[];
}

export interface ImportResult {
  /** The article: `---`, YAML front matter, `---`, blank line, the body. */
  markdown: string;
  frontMatter: ImportedFrontMatter;
  joins: Join[];
  /** The 小标题, in order, as written in the source. */
  sectionHeads: string[];
}

export interface ImportOptions {
  /** The source's name for messages (e.g. the file path). */
  source?: string;
}

/** Longest 小标题, in characters; a longer block is a paragraph. */
const SECTION_HEAD_MAX = 30;
/** Longest line of the headline stack or of a portrait caption. */
const TITLE_MAX = 40;
/** Characters shown on each side of a join in its report. */
const JOIN_CONTEXT = 6;

// Marks after which a paragraph may end. ： and ； also end list lead-ins and
// list items; a column is much less likely to end exactly after one of them.
const PARAGRAPH_END = /[。！？…⋯：；.!?:;]$/u;
/** Closing quotes and brackets, which may follow a paragraph's final mark (。” ！）). */
const TRAILING_CLOSERS = /[”’」』）)\]】》〉〕"']+$/u;
/** Marks that end a sentence; a heading contains none. ASCII "." is left out: 328.4 is a number. */
const SENTENCE_FINAL = /[。！？…⋯!?]/u;
/** A heading ends in a word, never in a pause or an opening mark. */
const OPEN_END = /[，、；：,;:“‘「『（(\[【《〈〔]$/u;
/** Marks that cannot start a sentence (clreq's line-start prohibitions and the pauses). */
const CANNOT_START = /^[，。、；：？！）》」』”’,.;:?!)\]}】〉〕%‰]/u;
const BRACKET_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['“', '”'],
  ['「', '」'],
  ['『', '』'],
  ['（', '）'],
  ['(', ')'],
  ['《', '》'],
  ['【', '】'],
  ['〈', '〉'],
  ['〔', '〕'],
  ['[', ']'],
];
/** 副题 starts with a dash (GB text may carry U+2015 for it). */
const DECK_START = /^[—―]{2}/u;
/** Byline: □本报记者 …; without the box only when a reporter's title and a space open it (记者 张三, not 记者手记). */
const BYLINE_BOX = /^[□■]/u;
const BYLINE_ROLE = /^(本报特约记者|本报通讯员|本报记者|特约记者|通讯员|记者)\s+\S/u;
/** Up to and including the reporter's title in a byline token: 本报记者, 新华社记者, 通讯员. */
const ROLE_PREFIX = /^.*?(记者|通讯员|实习生)/u;
/** Tokens of a byline that credit the work, not a person. */
const CREDIT = /^(文|图|摄|摄影|文图|图文|[文图摄](\/[文图摄])+|整理|.+报道)$/u;
/** A name in a portrait caption: two to four hanzi, or a transliterated name with a middle dot. */
const PERSON_NAME = /^(\p{Script=Han}{2,4}|\p{Script=Han}{1,8}[·•・]\p{Script=Han}{1,8})$/u;

interface Block {
  firstLine: number;
  lastLine: number;
  lines: string[];
  text: string;
}

interface BodyPiece {
  kind: 'section-head' | 'paragraph';
  text: string;
  lastLine: number;
}

interface HeadStack {
  kicker?: Block;
  headline: Block;
  deck?: Block;
  byline?: Block;
  /** Index of the first body block. */
  end: number;
}

export function importText(text: string, options: ImportOptions = {}): ImportResult {
  const source = options.source ?? 'input';
  const blocks = splitBlocks(text);
  if (blocks.length === 0) {
    throw new SourceError(`${source}: the text is empty; there is nothing to import`, source);
  }

  const photos: PhotoCaption[] = [];
  let start = 0;
  for (let captions = portraitCaptions(blocks[0]); captions; captions = portraitCaptions(blocks[start])) {
    photos.push(...captions);
    start += 1;
  }

  const head = readHeadStack(blocks, start, source);
  const { pieces, joins } = readBody(blocks.slice(head.end));

  const frontMatter: ImportedFrontMatter = { headline: head.headline.text };
  if (head.kicker) frontMatter.kicker = head.kicker.text;
  if (head.deck) frontMatter.deck = head.deck.text;
  if (head.byline) {
    frontMatter.byline = head.byline.lines.join(' ');
    const authors = bylineAuthors(frontMatter.byline);
    if (authors.length > 0) frontMatter.authors = authors;
  }
  if (photos.length > 0) frontMatter.photos = photos;

  assertTextKept(text, frontMatter, pieces, source);
  return {
    markdown: renderMarkdown(frontMatter, pieces),
    frontMatter,
    joins,
    sectionHeads: pieces.filter((piece) => piece.kind === 'section-head').map((piece) => piece.text),
  };
}

/** One line for the import report, e.g. `seed.txt:42-44: joined a paragraph broken mid-sentence (…群众围绕党委 | 和行政中心工…)`. */
export function formatJoin(join: Join, source = 'input'): string {
  return `${source}:${join.line}-${join.nextLine}: joined a paragraph broken mid-sentence (…${join.endsWith} | ${join.startsWith}…)`;
}

/**
 * Escapes what CommonMark would read as markup, so that the Markdown's text
 * equals `text`: inline markers anywhere, block markers (#, >, -, +, 1.) at
 * the start. In a heading every # is escaped (a trailing " #" would be eaten
 * as a closing sequence).
 */
export function escapeMarkdownText(text: string, kind: 'paragraph' | 'heading' = 'paragraph'): string {
  const inline = kind === 'heading' ? /[\\`*_[\]<&~#]/g : /[\\`*_[\]<&~]/g;
  // A web address the Markdown parser will link (GFM autolink literal) keeps its characters as they
  // are: escapes are not undone inside it, and `\_` would print as a backslash and break the address.
  let escaped = '';
  let from = 0;
  for (const match of text.matchAll(AUTOLINK)) {
    const link = match[0].slice(0, autolinkLength(match[0]));
    escaped += text.slice(from, match.index).replace(inline, '\\$&') + link;
    from = match.index + link.length;
  }
  escaped += text.slice(from).replace(inline, '\\$&');
  return escaped.replace(/^[#>+-]/, '\\$&').replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2');
}

/** Where GFM starts an autolink literal: `http(s)://` after no ASCII letter, `www.` at the start, after white space or ( * _ ~ [ ]. */
const AUTOLINK = /(?<![A-Za-z])https?:\/\/[^\s<]+|(?<=^|[\s(*_~[\]])www\.[^\s<]+/gi;

/** The part of a candidate GFM links: less trailing ? ! . , : * _ ~, an unmatched ), or an entity-like &name;. */
function autolinkLength(candidate: string): number {
  let end = candidate.length;
  for (;;) {
    const last = candidate[end - 1] ?? '';
    const kept = candidate.slice(0, end);
    if ('?!.,:*_~'.includes(last)) end--;
    else if (last === ')' && (kept.match(/\)/g)?.length ?? 0) > (kept.match(/\(/g)?.length ?? 0)) end--;
    else if (last === ';' && /&[a-z0-9]+;$/i.test(kept)) end -= /&[a-z0-9]+;$/i.exec(kept)![0].length;
    else return end;
  }
}

// ——— blocks ———

/**
 * Blocks are runs of non-blank lines. A line indented with an ideographic
 * space, a tab or two spaces also starts a block: that is how Chinese plain
 * text marks a paragraph when it has no blank lines.
 */
function splitBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let current: { firstLine: number; lastLine: number; lines: string[] } | undefined;
  const close = () => {
    if (current) blocks.push({ ...current, text: joinLines(current.lines) });
    current = undefined;
  };
  text.split(/\r\n?|\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return close();
    if (/^(\u3000|\t| {2})/u.test(raw)) close();
    current ??= { firstLine: index + 1, lastLine: index + 1, lines: [] };
    current.lines.push(line);
    current.lastLine = index + 1;
  });
  close();
  return blocks;
}

/**
 * A line break inside a block is no character of the text: between hanzi it
 * disappears; between Latin words it was a space.
 */
function joinLines(lines: string[]): string {
  return lines.reduce((joined, line) => {
    if (joined === '') return line;
    // Whole characters, not UTF-16 halves: 𡈼 (U+2123C) is a hanzi too.
    const boundary = isWide(lastCharacter(joined)) || isWide(String.fromCodePoint(line.codePointAt(0) ?? 0x20));
    return joined + (boundary ? '' : ' ') + line;
  }, '');
}

function lastCharacter(text: string): string {
  const low = text.charCodeAt(text.length - 1);
  return text.slice(low >= 0xdc00 && low <= 0xdfff && text.length > 1 ? -2 : -1);
}

function isWide(char: string): boolean {
  return /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff00-\uffef“”‘’…—]/u.test(char);
}

function length(text: string): number {
  return [...text.replace(/\s/gu, '')].length;
}

// ——— portraits and headline stack ———

/** A block of caption pairs: title line (北京奔驰工会主席), then name line (卢暘). */
function portraitCaptions(block: Block | undefined): PhotoCaption[] | undefined {
  if (!block || block.lines.length < 2 || block.lines.length % 2 !== 0) return undefined;
  const captions: PhotoCaption[] = [];
  for (let i = 0; i < block.lines.length; i += 2) {
    const caption = block.lines[i]!;
    const name = block.lines[i + 1]!;
    if (!PERSON_NAME.test(name) || !isTitleLine(caption) || length(caption) <= length(name)) return undefined;
    captions.push({ name, caption });
  }
  return captions;
}

/**
 * A line of the headline stack: short, no sentence inside it. A headline may
 * end in ！ or ？ (那些年，我们一起走过？) but holds no 。.
 */
function isTitleLine(text: string): boolean {
  if (length(text) > TITLE_MAX || DECK_START.test(text) || BYLINE_BOX.test(text)) return false;
  if (/[。…⋯]/u.test(text) || OPEN_END.test(text) || CANNOT_START.test(text)) return false;
  return !SENTENCE_FINAL.test(text.replace(/[！？!?]+[”’」』）)]*$/u, ''));
}

function isBylineBlock(block: Block): boolean {
  const first = block.lines[0] ?? '';
  if (BYLINE_BOX.test(first)) return true;
  return BYLINE_ROLE.test(first) && length(block.text) <= TITLE_MAX && !/[。，！？]/u.test(block.text);
}

/**
 * Kicker, headline, deck and byline, in that order. The headline is the last
 * title line before the deck or byline and a title line before it is the
 * kicker; without a deck or byline only the first title line is the headline
 * (nothing shows a kicker) and the rest is body.
 */
function readHeadStack(blocks: Block[], start: number, source: string): HeadStack {
  const titles: Block[] = [];
  let deck: Block | undefined;
  let byline: Block | undefined;
  let index = start;
  for (; index < blocks.length; index += 1) {
    const block = blocks[index]!;
    if (isBylineBlock(block)) {
      byline = block;
      index += 1;
      break;
    }
    if (deck) break;
    if (DECK_START.test(block.text)) deck = block;
    else if (isTitleLine(block.text)) titles.push(block);
    else break;
  }

  const first = blocks[start];
  const where = first ? `${source}:${first.firstLine}` : source;
  if (titles.length === 0) {
    throw new SourceError(
      `${where}: no headline found — the first block after the portrait captions should be a short line without final punctuation; put the headline on a line of its own, followed by a blank line`,
      source,
      first?.firstLine,
      1,
    );
  }
  if (!deck && !byline) return { headline: titles[0]!, end: blocks.indexOf(titles[0]!) + 1 };
  if (titles.length > 2) {
    const lines = titles.map((title) => title.firstLine).join(', ');
    throw new SourceError(
      `${where}: ${titles.length} short lines (lines ${lines}) stand before the ${deck ? 'deck' : 'byline'}; presswork cannot tell which is the headline — mark the deck with "——" or write the front matter (headline, kicker, deck) by hand`,
      source,
      first?.firstLine,
      1,
    );
  }
  const [kicker, headline] = titles.length === 2 ? titles : [undefined, titles[0]!];
  return { ...(kicker && { kicker }), headline: headline!, ...(deck && { deck }), ...(byline && { byline }), end: index };
}

/**
 * The people in a byline: the names after 本报记者 / 记者 / 通讯员, without
 * the credit tokens (文/摄, 摄, 文). `□本报记者 王路曼 陈曦 文/摄` → 王路曼, 陈曦.
 */
export function bylineAuthors(byline: string): string[] {
  const authors: string[] = [];
  for (const token of byline.replace(BYLINE_BOX, '').split(/[\s、，,；;]+/u)) {
    const name = token.replace(ROLE_PREFIX, '');
    if (name === '' || CREDIT.test(name) || authors.includes(name)) continue;
    authors.push(name);
  }
  return authors;
}

// ——— body ———

/**
 * Paragraphs and section heads. A block that does not end its sentence is
 * the first part of a paragraph cut where a column ended: the next block
 * continues it, whatever it looks like. Only a block that follows a finished
 * paragraph (or a heading, or the headline stack) can be a section head.
 */
function readBody(blocks: Block[]): { pieces: BodyPiece[]; joins: Join[] } {
  const pieces: BodyPiece[] = [];
  const joins: Join[] = [];
  let open: BodyPiece | undefined;
  blocks.forEach((block, index) => {
    const next = blocks[index + 1];
    if (open) {
      joins.push({
        line: open.lastLine,
        nextLine: block.firstLine,
        endsWith: [...open.text].slice(-JOIN_CONTEXT).join(''),
        startsWith: [...block.text].slice(0, JOIN_CONTEXT).join(''),
      });
      // No character goes between the parts: the cut fell inside the text.
      open.text += block.text;
      open.lastLine = block.lastLine;
    } else if (isSectionHead(block, next)) {
      pieces.push({ kind: 'section-head', text: block.text, lastLine: block.lastLine });
      return;
    } else {
      open = { kind: 'paragraph', text: block.text, lastLine: block.lastLine };
      pieces.push(open);
    }
    if (endsParagraph(open.text)) open = undefined;
  });
  return { pieces, joins };
}

/**
 * 小标题: a one-line block of at most 30 characters that holds no sentence
 * (no 。！？… anywhere), ends in a word rather than a pause or an opening
 * mark, has its quotes and brackets closed, and is followed by a block that
 * can start a sentence. A body paragraph cut by a column is either longer, or
 * holds a finished sentence, or an unclosed quote (“工会要……在广大群), or is
 * continued by a block starting with a pause or closing mark — any of which
 * rules the heading out. 、 and ， may appear: 工会组织要坚持问题意识、改革创新.
 */
function isSectionHead(block: Block, next: Block | undefined): boolean {
  const text = block.text;
  if (block.lines.length !== 1 || length(text) > SECTION_HEAD_MAX) return false;
  if (SENTENCE_FINAL.test(text) || OPEN_END.test(text) || CANNOT_START.test(text) || !bracketsClosed(text)) return false;
  if (!next || CANNOT_START.test(next.text)) return false;
  // Latin letters or digits on both sides: a word or a number was cut (APP 48|25).
  return !(/[A-Za-z0-9]$/.test(text) && /^[A-Za-z0-9]/.test(next.text));
}

/**
 * A paragraph ends in 。！？… (or ： ；), possibly followed by closing quotes
 * or brackets: …肖辉利说。 and …零距离。” end, …“在职职工 and …“领头雁” do not
 * (a closing quote ends a sentence only after its final mark). A block that
 * is wholly in brackets, like （完）, is complete too.
 */
function endsParagraph(text: string): boolean {
  if (PARAGRAPH_END.test(text.replace(TRAILING_CLOSERS, ''))) return true;
  return /^[（(【〔[].*[）)】〕\]]$/u.test(text) && bracketsClosed(text);
}

function bracketsClosed(text: string): boolean {
  return BRACKET_PAIRS.every(([open, close]) => {
    let depth = 0;
    for (const char of text) {
      if (char === open) depth += 1;
      else if (char === close && --depth < 0) return false;
    }
    return depth === 0;
  });
}

// ——— output ———

function renderMarkdown(frontMatter: ImportedFrontMatter, pieces: BodyPiece[]): string {
  // Key order as an editor reads the stack; lang is always Chinese here.
  const data = {
    headline: frontMatter.headline,
    ...(frontMatter.kicker !== undefined && { kicker: frontMatter.kicker }),
    ...(frontMatter.deck !== undefined && { deck: frontMatter.deck }),
    ...(frontMatter.byline !== undefined && { byline: frontMatter.byline }),
    ...(frontMatter.authors && { authors: frontMatter.authors }),
    lang: 'zh-CN',
    ...(frontMatter.photos && { photos: frontMatter.photos.map(({ name, caption }) => ({ name, caption })) }),
  };
  // lineWidth 0: never fold a long value over lines.
  const yamlText = stringify(data, { lineWidth: 0 });
  const body = pieces.map((piece) =>
    piece.kind === 'section-head' ? `## ${escapeMarkdownText(piece.text, 'heading')}` : escapeMarkdownText(piece.text),
  );
  return `---\n${yamlText}---\n\n${body.join('\n\n')}\n`;
}

/** The promise of this module, checked on every import: the text, minus whitespace, is unchanged. */
function assertTextKept(text: string, frontMatter: ImportedFrontMatter, pieces: BodyPiece[], source: string): void {
  const kept = [
    ...(frontMatter.photos ?? []).flatMap((photo) => [photo.caption, photo.name]),
    frontMatter.kicker ?? '',
    frontMatter.headline,
    frontMatter.deck ?? '',
    frontMatter.byline ?? '',
    ...pieces.map((piece) => piece.text),
  ].join('');
  if (kept.replace(/\s/gu, '') !== text.replace(/\s/gu, '')) {
    throw new Error(`presswork import: the text of ${source} changed while importing it; this is a bug in presswork`);
  }
}
