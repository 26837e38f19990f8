import { describe, expect, it } from 'vitest';
import type { Element, Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { VFile } from 'vfile';
import { frontMatterSchema, type FrontMatter } from '../src/content/schema.js';
import { createArticleProcessor, transformArticle } from '../src/transform/index.js';

const processor = createArticleProcessor();

async function transform(markdown: string, frontMatter: Partial<FrontMatter> = {}): Promise<{ tree: Root; file: VFile; html: string }> {
  const file = new VFile({ path: 'story.md', value: markdown });
  file.data.frontMatter = frontMatterSchema.parse({ headline: '努力实现服务职工零距离', ...frontMatter });
  const tree = await transformArticle(processor, file);
  return { tree, file, html: toHtml(tree) };
}

function article(tree: Root): Element {
  const node = tree.children[0];
  if (node?.type !== 'element' || node.tagName !== 'article') throw new Error('no article');
  return node;
}

describe('article structure', () => {
  it('puts the headline stack first and the body after it, in the article language', async () => {
    const { tree, html } = await transform('---\nheadline: x\n---\n\n正文第一段。\n', {
      kicker: '引题',
      deck: '——副题',
      byline: '□本报记者 王路曼',
    });
    const root = article(tree);
    expect(root.properties.lang).toBe('zh-CN');
    expect(html).toContain(
      '<header class="headline-block"><p class="kicker">引题</p><h1 class="headline" id="headline">努力实现服务职工零距离</h1><p class="deck">——副题</p><p class="byline">□本报记者 王路曼</p></header>',
    );
    expect(html).toContain('<div class="article-body"><p id="b-1">正文第一段。</p></div>');
    // The yaml block is not printed as text.
    expect(html).not.toContain('headline: x');
  });

  it('leaves out the parts the front matter does not have', async () => {
    const { html } = await transform('正文。');
    expect(html).not.toContain('kicker');
    expect(html).not.toContain('deck');
    expect(html).not.toContain('byline');
  });
});

describe('block ids', () => {
  it('names every body block b-N in order and keeps the ids blocks already have', async () => {
    const { html } = await transform('第一段。\n\n## 小标题\n\n- 一\n- 二\n\n第三段。\n');
    expect(html).toContain('<p id="b-1">第一段。</p>\n<h2 id="section-1" class="section-head">小标题</h2>\n<ul id="b-3">');
    expect(html).toContain('<p id="b-4">第三段。</p>');
    expect(html).not.toContain('<li id=');
  });
});

describe('section heads', () => {
  it('makes body headings h2/h3 section heads with ASCII ids and records them', async () => {
    const { html, file } = await transform('第一段。\n\n# 工会组织要始终走在时代前列\n\n第二段。\n\n### 小节\n\n第三段。\n\n## 工会组织要坚持问题意识、改革创新\n');
    expect(html).toContain('<h2 id="section-1" class="section-head">工会组织要始终走在时代前列</h2>');
    expect(html).toContain('<h3 id="section-2" class="section-head">小节</h3>');
    expect(html).not.toMatch(/<h1[^>]*section/);
    expect(file.data.sectionHeads).toEqual([
      { id: 'section-1', text: '工会组织要始终走在时代前列', level: 2 },
      { id: 'section-2', text: '小节', level: 3 },
      { id: 'section-3', text: '工会组织要坚持问题意识、改革创新', level: 2 },
    ]);
  });

  it('keeps a section head with no text out of the outline and the nav, and warns at its line', async () => {
    const { file } = await transform('第一段。\n\n##\n\n第二段。\n\n## ![图](chart.png)\n\n## 小标题\n');
    expect(file.data.sectionHeads).toEqual([{ id: 'section-1', text: '小标题', level: 2 }]);
    const warnings = file.messages.filter((message) => message.ruleId === 'empty-heading');
    expect(warnings.map((message) => message.line)).toEqual([3, 7]);
    expect(warnings[0]?.message).toMatch(/no text; give it its words after the `#` marks, or delete the line/);
  });
});

describe('emphasis in Chinese text', () => {
  it('takes ** and ~~ around CJK punctuation next to hanzi as bold and struck, as Chinese authors write them', async () => {
    const { html } = await transform('会议强调**“两个维护”**是根本，~~（草稿）~~已删，**粗体**照常。\n');
    expect(html).toContain('会议强调<strong>“两个维护”</strong>是根本，<del>（草稿）</del>已删，<strong>粗体</strong>照常。');
    expect(html).not.toContain('*');
  });
});

describe('text Markdown would drop', () => {
  const failure = async (markdown: string) => transform(markdown).then(() => undefined, (error: unknown) => error as { line?: number; reason: string; ruleId?: string });

  it('fails a table row with more cells than its header, at the row, saying what to change', async () => {
    const error = await failure('第一段。\n\n| 项目 | 数量 |\n| --- | --- |\n| 苹果 | 3 |\n| 香蕉 | 5 | 备注 |\n');
    expect(error?.line).toBe(6);
    expect(error?.ruleId).toBe('table-cells');
    expect(error?.reason).toBe('row 3 of this table has 3 cells but its header has 2: the last cell would not be printed; add a column to the header row, or write a | inside a cell as \\|');
  });

  it('fails a footnote nothing refers to, and a second footnote of one label, at their lines', async () => {
    const unused = await failure('正文。\n\n[^注一]: 没有被引用的注释。\n');
    expect(unused).toMatchObject({ line: 3, ruleId: 'footnote' });
    expect(unused?.reason).toBe('footnote [^注一] is never referred to, so its text would not be printed; refer to it in the text with [^注一], or delete it');
    const twice = await failure('正文[^1]。\n\n[^1]: 第一条。\n\n[^1]: 同名的第二条。\n');
    expect(twice).toMatchObject({ line: 5, ruleId: 'footnote' });
    expect(twice?.reason).toMatch(/^a second footnote \[\^1\]: only the first of one label is printed/);
  });

  it('lets a table with fewer cells in a row, and referred footnotes, through', async () => {
    const { html } = await transform('| 项目 | 数量 |\n| --- | --- |\n| 苹果 |\n\n正文[^a]。\n\n[^a]: 注释。\n');
    expect(html).toContain('苹果');
    expect(html).toContain('注释。');
  });
});

describe('figures', () => {
  it('prints a photo without src as a placeholder frame with its caption, and warns', async () => {
    const { html, file } = await transform('正文。', { photos: [{ name: '卢暘', caption: '北京奔驰工会主席' }] });
    expect(html).toContain(
      '<section class="portraits" aria-label="人物"><figure class="portrait" id="photo-1"><div class="photo placeholder" role="img" aria-label="卢暘，北京奔驰工会主席（照片暂缺）"></div><figcaption><span class="name">卢暘</span><span class="caption">北京奔驰工会主席</span></figcaption></figure></section>',
    );
    expect(html.indexOf('portraits')).toBeGreaterThan(html.indexOf('headline-block'));
    expect(html.indexOf('portraits')).toBeLessThan(html.indexOf('article-body'));
    expect(file.messages.map((message) => message.ruleId)).toEqual(['photo-missing']);
  });

  it('prints a photo with src as an image with alt text and no warning', async () => {
    const { html, file } = await transform('正文。', { photos: [{ src: 'zhao.jpg', name: '赵莹', caption: '工会主席', credit: '本报记者 摄' }] });
    expect(html).toContain('<img class="photo" src="zhao.jpg" alt="赵莹，工会主席">');
    expect(html).toContain('<span class="credit">本报记者 摄</span>');
    expect(file.messages).toHaveLength(0);
  });

  it('adds no strip for an article without photos', async () => {
    const { html } = await transform('正文。');
    expect(html).not.toContain('portraits');
  });
});

describe('raw HTML', () => {
  it('is not printed, and the warning names its line', async () => {
    const { html, file } = await transform('第一段。\n\n<div onclick="x()">插入</div>\n');
    expect(html).not.toContain('onclick');
    const message = file.messages.find((candidate) => candidate.ruleId === 'raw-html');
    expect(message?.line).toBe(3);
  });
});

describe('footnotes speak the article’s language', () => {
  const markdown = '甲[^1]乙[^2]丙[^1]。\n\n[^1]: 第一条。\n[^2]: 第二条。\n';
  const words = (html: string) => ({
    heading: /<h2 class="section-head" id="footnote-label">([^<]*)<\/h2>/.exec(html)?.[1],
    backLinks: [...html.matchAll(/aria-label="([^"]*)" class="data-footnote-backref"/g)].map((match) => match[1]),
  });

  it('in Chinese by default: 注释, 返回引用 N (N-2 for a second call of the same note)', async () => {
    const { html, file } = await transform(markdown);
    expect(words(html)).toEqual({ heading: '注释', backLinks: ['返回引用 1', '返回引用 1-2', '返回引用 2'] });
    expect(file.data.sectionHeads).toEqual([{ id: 'footnote-label', text: '注释', level: 2 }]);
    expect(html).not.toMatch(/Footnotes|Back to/);
  });

  it('in traditional characters for zh-Hant and zh-TW, in simplified for zh-Hans-HK', async () => {
    expect(words((await transform(markdown, { lang: 'zh-Hant-HK' })).html).heading).toBe('註釋');
    expect(words((await transform(markdown, { lang: 'zh-TW' })).html).heading).toBe('註釋');
    expect(words((await transform(markdown, { lang: 'zh-Hans-HK' })).html).heading).toBe('注释');
  });

  it('in English for en', async () => {
    const { html } = await transform(markdown, { lang: 'en' });
    expect(words(html)).toEqual({ heading: 'Footnotes', backLinks: ['Back to reference 1', 'Back to reference 1-2', 'Back to reference 2'] });
  });
});
