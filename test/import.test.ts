// `presswork import`: decoding the source and turning plain text into a
// Markdown article, on the real seed and on small fixtures for each rule.
import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import type { Root, RootContent } from 'mdast';
import { toText } from 'hast-util-to-text';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { decodeSource, isProbablyBinary } from '../src/content/decode.js';
import { SourceError } from '../src/content/errors.js';
import { bylineAuthors, escapeMarkdownText, formatJoin, importText, type ImportResult } from '../src/content/import-text.js';
import { loadArticleText } from '../src/content/load.js';
import { configSchema, frontMatterSchema } from '../src/content/schema.js';
import { createArticleProcessor, transformArticle } from '../src/transform/index.js';

const SEED_URL = new URL('./fixtures/seed/000_952877358d78f3b2.txt', import.meta.url);
const SEED_BYTES = new Uint8Array(readFileSync(SEED_URL));
const SEED_PATH = 'seed/000_952877358d78f3b2.txt';
const SEED = decodeSource(SEED_BYTES, SEED_PATH);
const seed = importText(SEED, { source: SEED_PATH });

// ——— helpers ———

interface ParsedArticle {
  frontMatter: Record<string, unknown>;
  /** Top-level body nodes as [kind, text]: 'p' paragraph, 'h2' section head. */
  body: Array<[string, string]>;
}

/** Reads the Markdown back as the pipeline does: YAML front matter, then CommonMark with GFM (whose autolink literals link web addresses). */
function readBack(markdown: string): ParsedArticle {
  const match = /^---\n([\s\S]*?)\n---\n\n([\s\S]*)$/.exec(markdown);
  if (!match) throw new Error(`no front matter block in:\n${markdown}`);
  const frontMatter = parse(match[1]!) as Record<string, unknown>;
  const parser = unified().use(remarkParse).use(remarkGfm);
  const tree = parser.runSync(parser.parse(match[2]!)) as Root;
  const body = tree.children.map((node): [string, string] => {
    if (node.type === 'paragraph') return ['p', plainText(node)];
    if (node.type === 'heading') return [`h${node.depth}`, plainText(node)];
    throw new Error(`unexpected ${node.type} node: the escaping let markup through`);
  });
  return { frontMatter, body };
}

/** Text of a paragraph or heading; any markup inside it (emphasis, code, html, a link the text did not write as an address) fails the test. */
function plainText(node: RootContent): string {
  if (node.type === 'text') return node.value;
  if (node.type === 'link' && node.children.length === 1 && node.children[0]?.type === 'text' && node.url.endsWith(node.children[0].value)) return node.children[0].value;
  if (node.type === 'paragraph' || node.type === 'heading') return node.children.map(plainText).join('');
  throw new Error(`unexpected ${node.type} node: the escaping let markup through`);
}

/** The text in source order, rebuilt from the Markdown alone: portraits, kicker, headline, deck, byline, body. */
function textSequence(result: ImportResult): string {
  const { frontMatter, body } = readBack(result.markdown);
  const photos = (frontMatter.photos ?? []) as Array<{ name: string; caption: string }>;
  const field = (key: string) => (typeof frontMatter[key] === 'string' ? (frontMatter[key] as string) : '');
  return [
    ...photos.flatMap((photo) => [photo.caption, photo.name]),
    field('kicker'),
    field('headline'),
    field('deck'),
    field('byline'),
    ...body.map(([, text]) => text),
  ].join('');
}

const squeeze = (text: string) => text.replace(/\s/gu, '');

function expectTextKept(source: string, result: ImportResult): void {
  expect(squeeze(textSequence(result))).toBe(squeeze(source));
}

/** A minimal article around `body` blocks: headline and byline, then the body. */
function article(...body: string[]): string {
  return ['测试标题', '□本报记者 张三', ...body].join('\n\n');
}

function importBody(...body: string[]): { result: ImportResult; paragraphs: string[]; heads: string[] } {
  const source = article(...body);
  const result = importText(source, { source: 'fixture.txt' });
  expectTextKept(source, result);
  const parsed = readBack(result.markdown).body;
  return {
    result,
    paragraphs: parsed.filter(([kind]) => kind === 'p').map(([, text]) => text),
    heads: parsed.filter(([kind]) => kind === 'h2').map(([, text]) => text),
  };
}

function catchError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

// ——— the seed ———

describe('importing the seed', () => {
  it('joins exactly the five paragraphs cut mid-sentence, with their source lines', () => {
    expect(seed.joins).toEqual([
      { line: 42, nextLine: 44, endsWith: '群众围绕党委', startsWith: '和行政中心工' },
      { line: 48, nextLine: 50, endsWith: '质，在广大群', startsWith: '众中培育和践' },
      { line: 60, nextLine: 62, endsWith: '众共享集团改', startsWith: '革发展成果，' },
      { line: 76, nextLine: 78, endsWith: '施“在职职工', startsWith: '医疗互助保障' },
      { line: 80, nextLine: 82, endsWith: '825件、实', startsWith: '施技术革新和' },
    ]);
    const lines = SEED.split('\n');
    for (const join of seed.joins) {
      expect(lines[join.line - 1]!.endsWith(join.endsWith)).toBe(true);
      expect(lines[join.nextLine - 1]!.startsWith(join.startsWith)).toBe(true);
    }
  });

  it('puts each joined paragraph together without a character between the parts', () => {
    const { body } = readBack(seed.markdown);
    const paragraphs = body.filter(([kind]) => kind === 'p').map(([, text]) => text);
    expect(paragraphs).toContain(
      '“工会组织要走在时代前列，关键是要始终坚持围绕中心服务大局，团结和动员职工群众围绕党委和行政中心工作建功立业。只有这样，工会工作才有生命力。”京粮集团党委副书记、工会主席肖辉利说。',
    );
    expect(paragraphs.some((text) => text.includes('实施“在职职工医疗互助保障计划”，受益职工362万人次。'))).toBe(true);
    expect(paragraphs.some((text) => text.includes('4825件、实施技术革新'))).toBe(true);
    // 26 body blocks − 3 section heads − 5 joins.
    expect(paragraphs).toHaveLength(18);
  });

  it('keeps the three section heads as headings and joins none of them', () => {
    const heads = ['工会组织要始终走在时代前列', '工会组织要探索有效工作抓手', '工会组织要坚持问题意识、改革创新'];
    expect(seed.sectionHeads).toEqual(heads);
    const { body } = readBack(seed.markdown);
    expect(body.filter(([kind]) => kind === 'h2').map(([, text]) => text)).toEqual(heads);
    expect(seed.markdown).toContain('\n\n## 工会组织要坚持问题意识、改革创新\n\n新形势下，');
    const headLines = [36, 54, 68];
    for (const join of seed.joins) {
      expect(headLines).not.toContain(join.line);
      expect(headLines).not.toContain(join.nextLine);
    }
  });

  it('reads the headline stack: headline, deck and byline, no kicker', () => {
    expect(seed.frontMatter.headline).toBe('努力实现服务职工零距离');
    expect(seed.frontMatter.kicker).toBeUndefined();
    expect(seed.frontMatter.deck).toBe('——市委党的群团工作会议在首都企业工会引起强烈反响');
    expect(seed.frontMatter.byline).toBe('□本报记者 王路曼 陈曦 马超 李一然 文/摄');
    expect(seed.frontMatter.authors).toEqual(['王路曼', '陈曦', '马超', '李一然']);
  });

  it('reads the five portrait captions into photos, in order', () => {
    expect(seed.frontMatter.photos).toEqual([
      { name: '赵莹', caption: '京城机电控股有限公司工会主席' },
      { name: '卢暘', caption: '北京奔驰工会主席' },
      { name: '臧峰', caption: '北京金隅集团公司工会主席' },
      { name: '阴钰光', caption: '北京市燃气集团工会主席' },
      { name: '肖辉利', caption: '京粮集团工会主席' },
    ]);
  });

  it('writes front matter that the article schema accepts, with lang zh-CN', () => {
    const { frontMatter } = readBack(seed.markdown);
    expect(frontMatter.lang).toBe('zh-CN');
    expect(Object.keys(frontMatter)).toEqual(['headline', 'deck', 'byline', 'authors', 'lang', 'photos']);
    const parsed = frontMatterSchema.parse(frontMatter);
    expect(parsed.headline).toBe('努力实现服务职工零距离');
    expect(parsed.photos?.map((photo) => photo.name)).toEqual(['赵莹', '卢暘', '臧峰', '阴钰光', '肖辉利']);
  });

  it('never drops, adds or reorders a character', () => {
    expectTextKept(SEED, seed);
    // The helper must be able to fail: one character moved is caught.
    const moved = { ...seed, markdown: seed.markdown.replace('努力实现服务职工零距离', '努力实现服务职工距零离') };
    expect(squeeze(textSequence(moved))).not.toBe(squeeze(SEED));
  });

  it('reports each join as a readable line', () => {
    expect(seed.joins.map((join) => formatJoin(join, 'seed.txt'))[0]).toBe(
      'seed.txt:42-44: joined a paragraph broken mid-sentence (…群众围绕党委 | 和行政中心工…)',
    );
    expect(formatJoin(seed.joins[4]!, 'seed.txt')).toBe('seed.txt:80-82: joined a paragraph broken mid-sentence (…825件、实 | 施技术革新和…)');
  });
});

// ——— decoding ———

describe('decodeSource', () => {
  it('reads the seed as UTF-8 and keeps its text', () => {
    expect(SEED.startsWith('\n\n\n\n京城机电控股有限公司工会主席\n赵莹\n')).toBe(true);
    expect(SEED).toContain('卢暘');
    expect(SEED.split('\n')).toHaveLength(84);
  });

  it('decodes a GB18030/GBK copy to the identical text, which imports identically', () => {
    const gbk = new Uint8Array(iconv.encode(SEED, 'gb18030'));
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk)).toThrow();
    const text = decodeSource(gbk, 'seed-gbk.txt');
    expect(text).toBe(SEED);
    expect(importText(text, { source: SEED_PATH })).toEqual(seed);
  });

  it('decodes a short GBK text that chardet cannot place', () => {
    const text = '工会主席赵莹说。';
    expect(decodeSource(new Uint8Array(iconv.encode(text, 'gbk')), 'short.txt')).toBe(text);
  });

  it('decodes UTF-16 LE and BE with a byte-order mark, which import identically', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(SEED, 'utf16le')]);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(SEED, 'utf16-be')]);
    const fromLe = decodeSource(new Uint8Array(le), 'seed-utf16le.txt');
    expect(fromLe).toBe(SEED);
    expect(importText(fromLe, { source: SEED_PATH })).toEqual(seed);
    expect(decodeSource(new Uint8Array(be), 'seed-utf16be.txt')).toBe(SEED);
  });

  it('strips a UTF-8 byte-order mark', () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), SEED_BYTES]);
    const text = decodeSource(new Uint8Array(withBom), 'bom.txt');
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    expect(text).toBe(SEED);
  });

  it('normalises CRLF and CR line endings to LF, and the import is unchanged', () => {
    const crlf = SEED.replace(/\n/g, '\r\n');
    expect(decodeSource(new Uint8Array(Buffer.from(crlf)), 'crlf.txt')).toBe(SEED);
    expect(decodeSource(new Uint8Array(Buffer.from(SEED.replace(/\n/g, '\r'))), 'cr.txt')).toBe(SEED);
    // importText copes with CRLF text handed to it directly as well.
    expect(importText(crlf, { source: SEED_PATH })).toEqual(seed);
  });

  it('refuses a PNG image with a SourceError naming the file', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    expect(isProbablyBinary(png)).toBe(true);
    const error = catchError(() => decodeSource(png, 'photos/zhao.png'));
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).file).toBe('photos/zhao.png');
    expect((error as SourceError).message).toContain('photos/zhao.png');
    expect((error as SourceError).message).toContain('PNG image');
  });

  it('refuses data with NUL bytes, and says what to do', () => {
    const data = new Uint8Array([0x41, 0x00, 0x42, 0x00, 0x0a, 0x00]);
    expect(isProbablyBinary(data)).toBe(true);
    expect(isProbablyBinary(SEED_BYTES)).toBe(false);
    const error = catchError(() => decodeSource(data, 'article.txt')) as SourceError;
    expect(error).toBeInstanceOf(SourceError);
    expect(error.message).toMatch(/^article\.txt: /);
    expect(error.message).toContain('iconv -f UTF-16LE -t UTF-8 article.txt > article.utf8.txt');
  });

  it('refuses Big5 text and names the conversion', () => {
    const big5 = new Uint8Array(iconv.encode(SEED.slice(200, 900), 'big5'));
    const error = catchError(() => decodeSource(big5, 'big5.txt')) as SourceError;
    expect(error).toBeInstanceOf(SourceError);
    expect(error.message).toContain('Big5');
    expect(error.message).toContain('iconv -f BIG5 -t UTF-8 big5.txt > big5.utf8.txt');
  });

  it('refuses text in an encoding it cannot tell, asking for a conversion', () => {
    const latin1 = new Uint8Array(iconv.encode('Café crème, naïve façade.', 'latin1'));
    const error = catchError(() => decodeSource(latin1, 'latin.txt')) as SourceError;
    expect(error).toBeInstanceOf(SourceError);
    expect(error.message).toContain('latin.txt');
    expect(error.message).toContain('-t UTF-8');
  });

  it('refuses damaged UTF-8 and points at the bad byte', () => {
    const lines = SEED.split('\n');
    const before = Buffer.from(lines.slice(0, 39).join('\n') + '\n“工会');
    const damaged = Buffer.concat([before, Buffer.from([0xff]), Buffer.from(lines.slice(39).join('\n').slice(3))]);
    const error = catchError(() => decodeSource(new Uint8Array(damaged), 'damaged.txt')) as SourceError;
    expect(error).toBeInstanceOf(SourceError);
    expect([error.line, error.column]).toEqual([40, 4]);
    expect(error.message).toContain('damaged.txt:40:4');
  });

  it('refuses a stray control character and says where it is', () => {
    const text = '标题\n\n第一段。\n第二\u0007段。';
    const error = catchError(() => decodeSource(new Uint8Array(Buffer.from(text)), 'bell.txt')) as SourceError;
    expect(error).toBeInstanceOf(SourceError);
    expect([error.line, error.column]).toEqual([4, 3]);
    expect(error.message).toContain('U+0007');
  });
});

// ——— section heads and broken paragraphs ———

describe('section head or broken paragraph', () => {
  it('keeps a short line between finished paragraphs as a section head, even with 、 or ，', () => {
    const { heads, paragraphs, result } = importBody(
      '第一段说完了。',
      '工会组织要坚持问题意识、改革创新',
      '第二段也说完了。',
      '守初心，担使命',
      '“第三段是引语。”他说。',
    );
    expect(heads).toEqual(['工会组织要坚持问题意识、改革创新', '守初心，担使命']);
    expect(paragraphs).toEqual(['第一段说完了。', '第二段也说完了。', '“第三段是引语。”他说。']);
    expect(result.joins).toEqual([]);
  });

  it('joins a long block without final punctuation to the next one', () => {
    const cut = '工会组织要走在时代前列，关键是要始终坚持围绕中心服务大局，团结和动员职工群众围绕党委';
    const { heads, paragraphs, result } = importBody('上一段。', cut, '和行政中心工作建功立业。');
    expect(heads).toEqual([]);
    expect(paragraphs).toEqual(['上一段。', `${cut}和行政中心工作建功立业。`]);
    expect(result.joins).toEqual([{ line: 7, nextLine: 9, endsWith: '群众围绕党委', startsWith: '和行政中心工' }]);
  });

  it('joins a short block that holds a finished sentence', () => {
    const { heads, paragraphs } = importBody('上一段。', '肖辉利也有同感。他说：“让广大职工群众共享集团改', '革发展成果。”');
    expect(heads).toEqual([]);
    expect(paragraphs[1]).toBe('肖辉利也有同感。他说：“让广大职工群众共享集团改革发展成果。”');
  });

  it('joins a short block whose quote is still open', () => {
    const { heads, paragraphs } = importBody('上一段。', '“工会要大力弘扬劳模精神，在广大群', '众中培育正能量。”她说。');
    expect(heads).toEqual([]);
    expect(paragraphs[1]).toBe('“工会要大力弘扬劳模精神，在广大群众中培育正能量。”她说。');
  });

  it('joins a heading-like block whose continuation cannot start a sentence', () => {
    const { heads, paragraphs, result } = importBody('上一段。', '要始终走在时代前列', '，团结和动员职工群众。');
    expect(heads).toEqual([]);
    expect(paragraphs[1]).toBe('要始终走在时代前列，团结和动员职工群众。');
    expect(result.joins).toHaveLength(1);
  });

  it('takes a line break after or before a hanzi outside the BMP for no character, as after any other hanzi', () => {
    // 𡈼 (U+2123C) is two UTF-16 units: its low half is no hanzi, and the break became a space.
    const { paragraphs } = importBody('上一段。', '本次评选的负责人𡈼\n2024年起主持全部工作。\n𠮷野家工会\n2025年成立。');
    expect(paragraphs[1]).toBe('本次评选的负责人𡈼2024年起主持全部工作。𠮷野家工会2025年成立。');
  });

  it('joins a number cut in two', () => {
    const { heads, paragraphs } = importBody('上一段。', '累计收集合理化建议48', '25件。');
    expect(heads).toEqual([]);
    expect(paragraphs[1]).toBe('累计收集合理化建议4825件。');
  });

  it('joins a paragraph cut twice, even where the middle part is short', () => {
    const { heads, paragraphs, result } = importBody(
      '上一段。',
      '工会组织要走在时代前列，关键是要始终坚持围绕中心服务大局，团结和动员',
      '职工群众围绕党委',
      '和行政中心工作建功立业。',
    );
    expect(heads).toEqual([]);
    expect(paragraphs[1]).toBe('工会组织要走在时代前列，关键是要始终坚持围绕中心服务大局，团结和动员职工群众围绕党委和行政中心工作建功立业。');
    expect(result.joins.map((join) => [join.line, join.nextLine])).toEqual([
      [7, 9],
      [9, 11],
    ]);
  });

  it('treats a closing quote as final only after a final mark', () => {
    const long = '争当贯彻党的群众路线的“领头雁”，争做落实党的决策部署的“排头兵”';
    const { paragraphs, result } = importBody('上一段。', long, '和“主力军”。', '“说完了。”', '新的一段。');
    expect(paragraphs).toEqual(['上一段。', `${long}和“主力军”。`, '“说完了。”', '新的一段。']);
    expect(result.joins).toHaveLength(1);
  });

  it('leaves a last block without final punctuation alone: there is nothing to join it to', () => {
    const { heads, paragraphs, result } = importBody('正文。', '记者手记');
    expect(heads).toEqual([]);
    expect(paragraphs).toEqual(['正文。', '记者手记']);
    expect(result.joins).toEqual([]);
  });

  it('joins the lines of a hard-wrapped block without adding characters, and splits indented paragraphs', () => {
    const source = ['测试标题', '', '□本报记者 张三', '', '第一段的前半，', '第一段的后半。', '　　第二段。', '　　第三段 with', 'a wrapped English line.'].join('\n');
    const result = importText(source);
    expectTextKept(source, result);
    expect(readBack(result.markdown).body).toEqual([
      ['p', '第一段的前半，第一段的后半。'],
      ['p', '第二段。'],
      ['p', '第三段 with a wrapped English line.'],
    ]);
  });
});

// ——— headline stack ———

describe('headline stack', () => {
  it('reads two short lines before a —— deck as kicker and headline', () => {
    const source = ['深化改革 服务职工', '努力实现服务职工零距离', '——市委会议在企业工会引起反响', '□本报记者 王路曼 文', '正文第一段。'].join('\n\n');
    const result = importText(source);
    expectTextKept(source, result);
    expect(result.frontMatter).toMatchObject({
      kicker: '深化改革 服务职工',
      headline: '努力实现服务职工零距离',
      deck: '——市委会议在企业工会引起反响',
      byline: '□本报记者 王路曼 文',
      authors: ['王路曼'],
    });
    expect(readBack(result.markdown).frontMatter.kicker).toBe('深化改革 服务职工');
    expect(readBack(result.markdown).body).toEqual([['p', '正文第一段。']]);
  });

  it('reads a single short line before the deck as the headline, with no kicker', () => {
    const result = importText(['努力实现服务职工零距离', '——市委会议在企业工会引起反响', '正文。'].join('\n\n'));
    expect(result.frontMatter.headline).toBe('努力实现服务职工零距离');
    expect(result.frontMatter.kicker).toBeUndefined();
    expect(result.frontMatter.byline).toBeUndefined();
  });

  it('without deck or byline, takes only the first short line as headline', () => {
    const source = ['努力实现服务职工零距离', '工会组织要走在时代前列', '正文。'].join('\n\n');
    const result = importText(source);
    expectTextKept(source, result);
    expect(result.frontMatter.headline).toBe('努力实现服务职工零距离');
    expect(result.frontMatter.kicker).toBeUndefined();
    expect(result.sectionHeads).toEqual(['工会组织要走在时代前列']);
  });

  it('refuses three short lines before the deck rather than guess', () => {
    const source = ['一', '二二', '三三三', '——副题', '正文。'].join('\n\n');
    const error = catchError(() => importText(source, { source: 'three.txt' })) as SourceError;
    expect(error).toBeInstanceOf(SourceError);
    expect(error.message).toContain('three.txt:1');
    expect(error.message).toContain('lines 1, 3, 5');
  });

  it('refuses a text that starts with body text instead of a headline', () => {
    const error = catchError(() => importText('\n\n这是一段正文，没有标题。\n\n第二段。', { source: 'nohead.txt' })) as SourceError;
    expect(error).toBeInstanceOf(SourceError);
    expect([error.file, error.line]).toEqual(['nohead.txt', 3]);
  });

  it('reads a byline without a box only when a title and a space open it', () => {
    const boxless = importText(['努力实现服务职工零距离', '记者 王路曼 陈曦', '正文。'].join('\n\n'));
    expect(boxless.frontMatter.byline).toBe('记者 王路曼 陈曦');
    expect(boxless.frontMatter.authors).toEqual(['王路曼', '陈曦']);
    const notes = importText(['努力实现服务职工零距离', '记者手记', '正文。'].join('\n\n'));
    expect(notes.frontMatter.byline).toBeUndefined();
    expect(notes.sectionHeads).toEqual(['记者手记']);
  });

  it('takes the names out of a byline', () => {
    expect(bylineAuthors('□本报记者 王路曼 陈曦 马超 李一然 文/摄')).toEqual(['王路曼', '陈曦', '马超', '李一然']);
    expect(bylineAuthors('□新华社记者张三 通讯员 李四 摄')).toEqual(['张三', '李四']);
    expect(bylineAuthors('■本报记者 王路曼 北京报道')).toEqual(['王路曼']);
  });

  it('does not take a two-line headline block for a portrait caption unless the second line is a name', () => {
    const result = importText(['北京奔驰工会主席\n卢暘', '努力实现\n服务职工零距离', '正文。'].join('\n\n'));
    expect(result.frontMatter.photos).toEqual([{ name: '卢暘', caption: '北京奔驰工会主席' }]);
    expect(result.frontMatter.headline).toBe('努力实现服务职工零距离');
  });
});

// ——— Markdown escaping ———

describe('escapeMarkdownText', () => {
  const tricky = [
    '# 不是标题',
    '> 不是引用',
    '- 不是列表',
    '+ 也不是',
    '1. 不是编号',
    '2) 也不是',
    '---',
    '***',
    '*不是强调*和_下划线_',
    '_不是强调_',
    'a\\b 反斜杠\\',
    '<b>不是HTML</b>',
    '[不是链接](http://example.com)',
    '`不是代码`',
    '&amp; 不是实体',
    '~~不是删除线~~',
    '![不是图片](a.png)',
  ];

  it.each(tricky)('keeps %j as plain paragraph text', (text) => {
    const escaped = escapeMarkdownText(text);
    expect(escaped).not.toBe(text);
    expect(readBack(`---\nheadline: x\n---\n\n${escaped}\n`).body).toEqual([['p', text]]);
  });

  it('leaves ordinary Chinese text, numbers and + alone', () => {
    for (const text of ['1296.5万元', '2010年以来，245名一线职工', '适应“互联网+”趋势', '——副题']) {
      expect(escapeMarkdownText(text)).toBe(text);
    }
  });

  it('keeps a heading ending in # whole', () => {
    const text = '话题 #';
    expect(readBack(`---\nheadline: x\n---\n\n## ${escapeMarkdownText(text, 'heading')}\n`).body).toEqual([['h2', text]]);
  });

  it('writes a web address as it is, so that the page prints it unchanged and links it', async () => {
    const processor = createArticleProcessor();
    for (const text of [
      '原文链接：https://mp.weixin.qq.com/s?__biz=MzA3&mid=26。',
      '地址 www.example.com/a_b 。',
      '见(https://a.com/x_y_)。',
      'https://a.com/path_(x)_y) 结束',
      '邮件_x_ https://a.com/~u/ 和 *重点*',
      'abchttps://x.com/a_b*c*',
    ]) {
      const escaped = escapeMarkdownText(text);
      const article = loadArticleText(`---\nheadline: 标题\n---\n\n${escaped}\n`, 'x.md', configSchema.parse({}));
      const tree = await transformArticle(processor, article.file);
      expect(toText(tree).split('标题').pop()?.trim(), escaped).toBe(text);
    }
    // Inside the address nothing is escaped: a backslash there would be printed and break it.
    expect(escapeMarkdownText('原文链接：https://mp.weixin.qq.com/s?__biz=MzA3&mid=26。')).toBe('原文链接：https://mp.weixin.qq.com/s?__biz=MzA3&mid=26。');
  });

  it('escapes markup in imported paragraphs so the article text is unchanged', () => {
    const { paragraphs, result } = importBody('1. 第一条意见。', '*重要*的事说三遍。');
    expect(paragraphs).toEqual(['1. 第一条意见。', '*重要*的事说三遍。']);
    expect(result.markdown).toContain('\n1\\. 第一条意见。\n');
  });
});
