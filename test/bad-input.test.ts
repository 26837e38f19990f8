// Bad input, all in one build as CI would run it: each bad article fails alone
// (exit 1, a message with its file, line and fix, nothing written for it), and
// the articles in other encodings, with a BOM, CRLF line endings or a
// 2,000-character unbreakable line are built.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleFolder } from './support/articles.js';

const cli = fileURLToPath(new URL('../bin/presswork.js', import.meta.url));
const BODY = '本报讯　记者从市总工会获悉，今年全市工会系统深入开展服务职工活动，帮助职工解决实际困难。\n';
const article = (frontMatter: string, body = BODY) => `---\n${frontMatter}\n---\n\n${body}`;
const URL_2000 = `https://example.org/${'abcdefghij'.repeat(198)}`;
const WORD_2000 = 'Donaudampfschifffahrtsgesellschaftskapitän'.repeat(48).slice(0, 2000);

interface Message {
  severity: string;
  rule: string;
  message: string;
  line?: number;
  column?: number;
}
interface Report {
  source: string;
  slug: string;
  ok: boolean;
  outputs: Record<string, { path: string }>;
  preflight?: { ok: boolean; overflow: { ok: boolean } };
  messages: Message[];
}

let dir: string;
let status: number | null;
let stderr: string;
let reports: Report[];

beforeAll(async () => {
  const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } }).png().toBuffer();
  dir = articleFolder({
    'empty.md': '',
    'front-matter-only.md': '---\nheadline: 只有前言\n---\n',
    // YAML allows `...` to end a document; the Markdown parser does not, and would print the keys as text.
    'dots-close.md': `---\nheadline: 以三点结束\n...\n\n${BODY}`,
    'nbsp-fence.md': `---\u00a0\nheadline: 分隔线后有不换行空格\n---\n\n${BODY}`,
    'bad-yaml.md': article('headline: 标题\ndeck: [未闭合的副题\nbyline: 记者'),
    'no-headline.md': article('deck: ——只有副题'),
    'unknown-key.md': article('headline: 标题\nbyine: □本报记者 王路曼'),
    'photos-not-list.md': article('headline: 标题\nphotos: 卢暘'),
    'date-not-date.md': article('headline: 标题\ndate: 昨天'),
    'binary.md': png,
    'form-feed.md': article('headline: 标题', `第一段。\n\n第二\f段。\n`),
    'utf16-no-bom.md': iconv.encode(article('headline: 没有字节序标记'), 'utf-16le'),
    'gb18030.md': iconv.encode(article('headline: 国标编码的稿件'), 'gb18030'),
    'utf16.md': Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(article('headline: 十六位编码的稿件'), 'utf-16le')]),
    'bom.md': `\uFEFF${article('headline: 带字节序标记的稿件')}`,
    'crlf.md': article('headline: 回车换行的稿件\ndeck: ——副题', `${BODY}\n## 小标题\n\n${BODY}`).replace(/\n/g, '\r\n'),
    'long-line.md': article('headline: 两千字符的长行\nlayout: { columns: 8 }', `${BODY}\n${URL_2000}\n\n${WORD_2000}\n\n${BODY}`),
  });
  const result = spawnSync(process.execPath, [cli, 'build', dir, '--out', join(dir, 'output'), '--format', 'pdf', '--json'], { cwd: dir, encoding: 'utf8' });
  status = result.status;
  stderr = result.stderr;
  reports = (JSON.parse(result.stdout) as { articles: Report[] }).articles;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const report = (name: string) => {
  const found = reports.find((entry) => entry.source.endsWith(`/${name}`) || entry.source === name);
  if (!found) throw new Error(`no report for ${name}`);
  return found;
};
const error = (name: string) => report(name).messages.find((message) => message.severity === 'error');

/** name → [line, column or undefined, message pattern]. */
const BAD: Record<string, [number | undefined, number | undefined, RegExp]> = {
  'empty.md': [1, 1, /the file is empty; write a front matter block/],
  'front-matter-only.md': [3, 1, /has a front matter but no text; write the article below the closing `---`/],
  'dots-close.md': [1, 1, /the front matter is not closed; add a line `---` after its last key/],
  'nbsp-fence.md': [1, 1, /the file has no front matter; start it with a line `---`/],
  // The YAML parser finds the unclosed `[` where the next key starts.
  'bad-yaml.md': [4, 1, /must be sufficiently indented and end with a \] is not valid YAML; check the indentation and quote values/],
  'no-headline.md': [2, 1, /`headline` is required; add `headline: …`/],
  'unknown-key.md': [3, 1, /unknown key `byine`; did you mean `byline`\?/],
  'photos-not-list.md': [3, 1, /`photos` .*; write photos as a list: `photos:` then `  - caption: …`/],
  'date-not-date.md': [3, 1, /`date` must be a date written YYYY-MM-DD; write the date as YYYY-MM-DD/],
  'binary.md': [undefined, undefined, /this is a PNG image, not a text file; give presswork the article as plain text \(UTF-8\)/],
  'form-feed.md': [7, 3, /form-feed\.md:7:3: the text contains the control character U\+000C \(a form feed, a page break from an old system\), which cannot be printed or stored in the EPUB; delete it, or put a blank line there/],
  'utf16-no-bom.md': [undefined, undefined, /data with NUL bytes, not a text file.* If it is text saved as UTF-16 without a byte-order mark, convert it with `iconv -f UTF-16LE -t UTF-8/],
};
const GOOD: Record<string, string> = {
  'gb18030.md': '国标编码的稿件',
  'utf16.md': '十六位编码的稿件',
  'bom.md': '带字节序标记的稿件',
  'crlf.md': '回车换行的稿件',
  'long-line.md': '两千字符的长行',
};

describe('a build with bad articles among good ones', () => {
  it('exits 1, names every failed file, and prints no stack trace', () => {
    expect(status, stderr).toBe(1);
    expect(stderr).toContain(`${Object.keys(BAD).length} of ${Object.keys(BAD).length + Object.keys(GOOD).length} article(s) failed`);
    expect(stderr).not.toMatch(/\n\s+at .*\.(js|ts):\d+/);
  });

  it.each(Object.entries(BAD))('%s fails with its line and a fix, and nothing is written for it', (name, [line, column, pattern]) => {
    const failure = error(name);
    expect(report(name).ok).toBe(false);
    expect(failure?.message).toMatch(pattern);
    expect(failure?.line).toBe(line);
    if (column !== undefined) expect(failure?.column).toBe(column);
    expect(report(name).outputs).toEqual({});
    expect(existsSync(join(dir, 'output', name.replace(/\.md$/, '')))).toBe(false);
    // The terminal report names the file, and the line when there is one.
    expect(stderr).toContain(name);
    if (line !== undefined) expect(stderr).toMatch(new RegExp(`${line}:${column ?? 1}\\s+error`));
  });

  it.each(Object.entries(GOOD))('%s is built, its headline read right', (name, headline) => {
    const built = report(name);
    expect(built.ok, JSON.stringify(built.messages)).toBe(true);
    expect(existsSync(join(dir, 'output', built.outputs.pdf!.path))).toBe(true);
    const text = spawnSync('pdftotext', ['-raw', join(dir, 'output', built.outputs.pdf!.path), '-'], { encoding: 'utf8' }).stdout;
    expect(text.replace(/\s+/g, '')).toContain(headline);
    expect(text).not.toContain('\uFEFF');
  });

  it('breaks a 2,000-character URL and a 2,000-letter word in a narrow column, keeps every character and overflows nothing', () => {
    const built = report('long-line.md');
    expect(built.preflight?.overflow.ok).toBe(true);
    const pdf = join(dir, 'output', built.outputs.pdf!.path);
    const text = spawnSync('pdftotext', ['-raw', pdf, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, '');
    expect(text).toContain(URL_2000);
    expect(text).toContain(WORD_2000);
    // Every printed line stays inside its column: it ends before the next column's first line starts.
    const bbox = spawnSync('pdftotext', ['-bbox-layout', pdf, '-'], { encoding: 'utf8' }).stdout;
    const lines = [...bbox.matchAll(/<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"/g)].map((match) => ({ x0: Number(match[1]), y: Number(match[2]), x1: Number(match[3]) }));
    const body = lines.filter((line) => line.y > 150);
    // Column starts are where many lines begin (a justified line with wide gaps can come out in pieces).
    const counts = new Map<number, number>();
    for (const line of body) counts.set(Math.round(line.x0), (counts.get(Math.round(line.x0)) ?? 0) + 1);
    const starts = [...counts].filter(([, count]) => count >= 5).map(([x]) => x).sort((a, b) => a - b);
    const columns = starts.filter((start, index) => index === 0 || start - starts[index - 1]! > 30);
    expect(columns.length).toBe(8);
    for (const line of body) {
      const next = columns.find((start) => start > line.x0 + 30);
      if (next !== undefined) expect(line.x1).toBeLessThan(next);
    }
  });
});
