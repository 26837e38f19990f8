// What Markdown makes — a GFM table's alignment, a task list's ticks, footnotes
// and their words in the article's language — built for real: it reaches the
// page HTML and the EPUB (EPUBCheck 0/0), and the sanitizer says nothing of it.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTemplate } from '../src/layout/index.js';
import { build, type BuildReport } from '../src/publish/build.js';
import { articleFolder } from './support/articles.js';
import { epubcheck, epubcheckMissing } from './support/epubcheck.js';

const skipEpubcheck = (await epubcheckMissing()) !== undefined;

const article = (lang: string, headline: string) =>
  [
    '---',
    `headline: ${headline}`,
    `lang: ${lang}`,
    '---',
    '',
    '本报讯　各单位报来的数字如下[^1]。',
    '',
    '| 单位 | 人数 | 说明 |',
    '| :-- | :-: | --: |',
    '| 京城机电 | 120 | 好 |',
    '',
    '- [x] 已完成的事',
    '- [ ] 未完成的事',
    '',
    '[^1]: 数字截至月底。',
    '',
  ].join('\n');

let dir: string;
let report: BuildReport;

beforeAll(async () => {
  dir = articleFolder({ 'zh.md': article('zh-CN', '各单位报来的数字'), 'en.md': article('en', 'Figures from the units') });
  report = await build({ paths: [dir], cwd: dir, outDir: join(dir, 'output'), formats: ['html', 'epub'], write: true, cache: false });
}, 300_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const output = (slug: string, format: string) => join(dir, 'output', slug, `${slug}.${format}`);
const chapter = async (slug: string) => (await JSZip.loadAsync(readFileSync(output(slug, 'epub')))).file('OEBPS/article.xhtml')?.async('string') ?? '';

describe('GFM in a real build', () => {
  it('builds both articles with no word from the sanitizer', () => {
    expect(report.articles.map((entry) => [entry.slug, entry.ok])).toEqual([
      ['en', true],
      ['zh', true],
    ]);
    const messages = report.articles.flatMap((entry) => entry.messages.filter((message) => ['raw-html', 'unsafe-url'].includes(message.rule)));
    expect(messages).toEqual([]);
  });

  it('aligns the table’s columns by class in the page HTML and the EPUB, each styled by its stylesheet', async () => {
    const aligned = /<(?:th|td) class="align-(left|center|right)">/g;
    for (const markup of [readFileSync(output('zh', 'html'), 'utf8'), await chapter('zh')]) {
      expect([...markup.matchAll(aligned)].map((match) => match[1])).toEqual(['left', 'center', 'right', 'left', 'center', 'right']);
      expect(markup).not.toMatch(/\balign="/);
    }
    const template = loadTemplate();
    const pageCss = readFileSync(join(template.dir, 'page.css'), 'utf8');
    const epubCss = (await JSZip.loadAsync(readFileSync(output('zh', 'epub')))).file('OEBPS/style.css')?.async('string');
    for (const side of ['left', 'center', 'right']) {
      expect(pageCss).toContain(`.article-body .align-${side} { text-align: ${side}; }`);
      expect(await epubCss).toContain(`.align-${side} { text-align: ${side}; }`);
    }
  });

  it('keeps the first task ticked and the second not, in the page HTML and the EPUB', async () => {
    const html = readFileSync(output('zh', 'html'), 'utf8');
    // The page HTML is the browser's serialization of the laid-out page.
    expect([...html.matchAll(/<input type="checkbox"( checked="")? disabled="">/g)].map((match) => match[1] !== undefined)).toEqual([true, false]);
    const xhtml = await chapter('zh');
    expect([...xhtml.matchAll(/<input type="checkbox"( checked="CHECKED")? disabled="DISABLED" \/>/g)].map((match) => match[1] !== undefined)).toEqual([true, false]);
  });

  it('names the footnotes in the article’s language, in the page HTML and the EPUB', async () => {
    for (const [slug, heading, back] of [
      ['zh', '注释', '返回引用 1'],
      ['en', 'Footnotes', 'Back to reference 1'],
    ] as const) {
      for (const markup of [readFileSync(output(slug, 'html'), 'utf8'), await chapter(slug)]) {
        expect(markup).toMatch(new RegExp(`<h2 class="section-head" id="footnote-label"[^>]*>${heading}</h2>`));
        expect(markup).toContain(`aria-label="${back}"`);
        expect(markup).toContain('aria-describedby="footnote-label"');
      }
    }
    expect(readFileSync(output('zh', 'html'), 'utf8')).not.toMatch(/Footnotes|Back to reference/);
  });

  // The Chinese article's constructs are EPUBChecked in epub-markdown.test.ts; here the English words.
  it.skipIf(skipEpubcheck)('passes EPUBCheck with 0 errors and 0 warnings in English', async () => {
    const result = await epubcheck(output('en', 'epub'));
    expect(result.problems).toEqual([]);
    expect([result.nFatal, result.nError, result.nWarning]).toEqual([0, 0, 0]);
  });
});
