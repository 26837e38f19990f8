#!/usr/bin/env node
// Turns a Chinese manual page (roff man macros, as in Debian's manpages-zh)
// into the body of a presswork article, without changing a character of its
// text: roff escapes are decoded (\(lq → “, \\ → \, \- → -), font changes
// dropped in running text, option tags set bold, .nf blocks kept as code.
// Whitespace is the only thing it edits: lines of one paragraph are joined
// (with nothing between two CJK characters, a space otherwise), runs of
// spaces become one, and spaces next to full-width punctuation go.
//
//   node scripts/manpage-to-article.mjs /usr/share/man/zh_CN/man1/psql.1.gz > body.md
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { toString } from 'mdast-util-to-string';

const path = process.argv[2];
if (!path) {
  console.error('usage: node scripts/manpage-to-article.mjs <page.1[.gz]>');
  process.exit(2);
}
const raw = readFileSync(path);
const source = (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');

const specials = { lq: '“', rq: '”', bu: '•', aq: "'", em: '—', en: '–', dq: '"', co: '©' };

// Font changes ride through joining as private-use marks, then become Markdown emphasis.
const ROMAN = '\uE000';
const BOLD = '\uE001';
const ITALIC = '\uE002';
const fontMark = { R: ROMAN, P: ROMAN, B: BOLD, I: ITALIC };
const marks = /[\uE000-\uE002]/g;

/** Roff escapes → text. Unknown escapes stay as written (the page means them literally, e.g. `\connect`). */
function decode(line) {
  let out = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = line[i + 1];
    if (n === undefined) break;
    if (n === '\\' || n === 'e') out += '\\', i++;
    else if (n === '-') out += '-', i++;
    else if (n === ' ') out += ' ', i++;
    else if (n === '&') i++;
    else if (n === '"') break;
    else if (n === 'f') {
      out += fontMark[line[i + 2]] ?? ROMAN;
      i += 2;
    } else if (n === '(') {
      const name = line.slice(i + 2, i + 4);
      out += specials[name] ?? `\\(${name}`;
      i += 3;
    } else out += c;
  }
  return out;
}

const cjk = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u;
const fullWidthPunctuation = '\u3000-\u303f\uff00-\uffef';
const plain = (text) => text.replace(marks, '');

/** One paragraph from its source lines. */
function join(lines) {
  let text = '';
  for (const line of lines.map((l) => decode(l).trim()).filter((l) => plain(l).trim())) {
    if (!text) text = line;
    else text += cjk.test(plain(text).trim().at(-1)) && cjk.test(plain(line).trim()[0]) ? line : ` ${line}`;
  }
  return text
    .replace(/ {2,}/g, ' ')
    .replace(new RegExp(` +(?=[\\uE000-\\uE002]*[${fullWidthPunctuation}])|(?<=[${fullWidthPunctuation}][\\uE000-\\uE002]*) +`, 'gu'), '')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** Markdown-escapes running text so every character prints as itself. */
function escapeText(text) {
  return text.replace(/[\\`*_[\]<>|~&#]/g, '\\$&');
}
const escapeLineStart = (md) => md.replace(/^([-+=]|\d+[.)])/, '\\$1');

/** Text with font marks → Markdown: runs whose number is in `kept` get ** (bold) or * (italic). */
function emphasised(text, kept) {
  let md = '';
  let font = ROMAN;
  let run = -1;
  for (const part of text.split(/([\uE000-\uE002])/)) {
    if (/^[\uE000-\uE002]$/.test(part)) {
      font = part;
      continue;
    }
    if (!part) continue;
    const [, lead, core, trail] = /^(\s*)(.*?)(\s*)$/s.exec(part);
    if (font !== ROMAN && core) run++;
    const mark = font === ROMAN || !kept(run) ? '' : font === BOLD ? '**' : '*';
    md += `${lead}${mark}${escapeText(core)}${mark}${trail}`;
  }
  return escapeLineStart(md);
}

const readsBack = (md, wanted) => {
  const tree = fromMarkdown(md);
  return tree.children.length === 1 && tree.children[0].type === 'paragraph' && toString(tree.children[0]) === wanted;
};

/** Emphasis where CommonMark reads it back; a run it would not close (e.g. `的**\\o** 元`) is set plain. */
function inline(text, { tag = false } = {}) {
  const wanted = plain(text);
  if (readsBack(emphasised(text, () => true), wanted)) return emphasised(text, () => true);
  if (tag && readsBack(`**${escapeText(wanted)}**`, wanted)) return `**${escapeText(wanted)}**`;
  const kept = new Set();
  const runs = (text.match(/[\uE001\uE002]/g) ?? []).length;
  for (let run = 0; run < runs; run++) {
    kept.add(run);
    if (!readsBack(emphasised(text, (r) => kept.has(r)), wanted)) kept.delete(run);
  }
  return emphasised(text, (r) => kept.has(r));
}

const blocks = []; // { kind, text | lines, quote, item }
let paragraph = [];
let tags = [];
let code = null;
let quote = false;
let item = 0; // which • list item the text is in (0: none; until the next .TP/.PP/.SH/.SS)
let items = 0;
let expectTag = false;
let section = '';

function push(block) {
  blocks.push({ ...block, quote, item, section });
}
function flushTags() {
  if (tags.length) push({ kind: 'tags', lines: tags });
  tags = [];
}
function flush() {
  flushTags();
  flushParagraph();
}
function flushParagraph() {
  const text = join(paragraph);
  if (text) push({ kind: 'p', text });
  paragraph = [];
}

for (const line of source.split('\n')) {
  if (line.startsWith('.\\"') || line.startsWith("'\\\"")) continue;
  if (code) {
    if (line.startsWith('.fi')) {
      while (code.at(-1) === '') code.pop();
      push({ kind: 'code', lines: code });
      code = null;
    } else if (line.startsWith('.sp')) code.push('');
    else code.push(decode(line).replace(/\s+$/, ''));
    continue;
  }
  const macro = /^\.(\w+)\s*(.*)$/.exec(line);
  if (macro) {
    const [, name, rest] = macro;
    const arg = rest.replace(/^"(.*)"$/, '$1');
    if (name === 'TH') continue;
    if (name === 'SH' || name === 'SS') {
      flush();
      item = 0;
      section = decode(arg);
      push({ kind: name === 'SH' ? 'h2' : 'h3', text: section });
    } else if (['PP', 'P', 'LP', 'sp', 'br'].includes(name)) {
      if (name === 'PP') item = 0;
      flush();
    } else if (name === 'TP') {
      flushParagraph(); // consecutive tags (-a, --echo-all) stay one block
      item = 0;
      expectTag = true;
    } else if (name === 'RS') {
      flush();
      quote = true;
    } else if (name === 'RE') {
      flush();
      quote = false;
    } else if (name === 'nf') {
      flush();
      code = [];
    } else if (name === 'fi') {
      // an .fi without .nf: nothing to end
    } else if (name === 'B') {
      flushTags();
      paragraph.push(`\\fB${arg}\\fR`);
      if (!quote) flush(); // a bold line of its own (the translator's credit); in a note it leads the text
    } else throw new Error(`unhandled macro .${name} in ${path}`);
    continue;
  }
  if (expectTag) {
    expectTag = false;
    const tag = decode(line).trim();
    if (tag === '•') item = ++items;
    else tags.push(tag);
    continue;
  }
  if (!line.trim()) {
    flush();
    continue;
  }
  flushTags();
  paragraph.push(line);
}
flush();

// Markdown: bold notes keep their ** (already escaped); everything else is escaped here.
const out = [];
let previous;
for (const block of blocks) {
  let md;
  if (block.kind === 'h2' || block.kind === 'h3') md = `${block.kind === 'h2' ? '##' : '###'} ${escapeText(plain(block.text))}`;
  else if (block.kind === 'tags') md = block.lines.map((tag) => inline(tag.trim(), { tag: true })).join('\\\n');
  else if (block.kind === 'code') md = ['```', ...block.lines.map(plain), '```'].join('\n');
  else md = inline(block.text);
  if (block.quote) md = md.split('\n').map((l) => (l ? `> ${l}` : '>')).join('\n');
  if (block.item) {
    const first = previous?.item !== block.item;
    md = md.split('\n').map((l, i) => (i === 0 && first ? `- ${l}` : l ? `  ${l}` : l)).join('\n');
  }
  out.push(md);
  previous = block;
}
process.stdout.write(`${out.join('\n\n')}\n`);
