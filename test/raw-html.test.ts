// Hostile raw HTML in an article: parsed, then cleaned with our schema. The
// text stays; what could run, load or restyle the page goes, each removal
// reported at its line.
import type { Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { describe, expect, it } from 'vitest';
import { VFile } from 'vfile';
import { VFileMessage } from 'vfile-message';
import { frontMatterSchema } from '../src/content/schema.js';
import { createArticleProcessor, transformArticle } from '../src/transform/index.js';

const processor = createArticleProcessor();

async function transform(markdown: string): Promise<{ tree: Root; file: VFile; body: string }> {
  const file = new VFile({ path: 'story.md', value: markdown });
  file.data.frontMatter = frontMatterSchema.parse({ headline: '标题' });
  const tree = await transformArticle(processor, file);
  const html = toHtml(tree);
  const body = /<div class="article-body">([\s\S]*)<\/div><\/article>/.exec(html)?.[1] ?? '';
  return { tree, file, body };
}

const warnings = (file: VFile) => file.messages.filter((message) => message.ruleId === 'raw-html').map((message) => `${message.line}: ${message.reason}`);

describe('raw HTML is sanitized', () => {
  it('removes <script> with its code and keeps the text around it', async () => {
    const { body, file } = await transform('工会<script>document.title="PWNED"</script>服务职工。\n');
    expect(body).toBe('<p id="b-1">工会服务职工。</p>');
    expect(warnings(file)).toEqual([expect.stringMatching(/^1: raw HTML <script> is removed with its content/)]);
  });

  it('drops on* handlers, style and class, keeping the element and its text', async () => {
    const { body, file } = await transform('<span onclick="alert(1)" onmouseover="x()" style="color:red" class="page">红</span>字\n');
    expect(body).toBe('<p id="b-1"><span>红</span>字</p>');
    const reported = warnings(file).join('\n');
    expect(reported).toContain('onclick="alert(1)" on <span> is removed: nothing in an article runs as a script');
    expect(reported).toContain('onmouseover');
    expect(reported).toContain('style="color:red"');
    expect(reported).toContain('class="page"');
  });

  it('removes <iframe src="file:///etc/passwd">, <object>, <embed> and their content', async () => {
    const { body, file } = await transform(
      '第一段。\n\n<iframe src="file:///etc/passwd">框内</iframe>\n\n<object data="file:///etc/passwd"><param name="a" value="b">备用</object>\n\n<embed src="/etc/passwd">\n\n末段。\n',
    );
    expect(body).not.toMatch(/iframe|object|embed|passwd|框内|备用/);
    expect(body).toContain('第一段。');
    expect(body).toContain('末段。');
    expect(warnings(file).map((warning) => warning.split(':')[0])).toEqual(['3', '5', '7']);
  });

  it('removes <link> and <style> that would load remote stylesheets (@import)', async () => {
    const { body, file } = await transform('<link rel="stylesheet" href="https://evil.example/x.css">\n\n<style>@import url(https://evil.example/a.css); body{display:none}</style>\n\n正文。\n');
    expect(body).not.toMatch(/link|style|@import|evil/);
    expect(body).toContain('正文。');
    expect(warnings(file)).toHaveLength(2);
  });

  it('keeps the words of a javascript: link and drops its target, in Markdown and in HTML', async () => {
    const { body, file } = await transform('[点这里](javascript:alert(1)) 和 <a href="JaVaScRiPt:alert(2)">那里</a>\n');
    expect(body).toBe('<p id="b-1"><a>点这里</a> 和 <a>那里</a></p>');
    // The author wrote only the second as HTML; the first is a Markdown link with an unsafe target.
    expect(warnings(file)).toEqual([expect.stringMatching(/^1: raw HTML attribute href="JaVaScRiPt:alert\(2\)" on <a> is removed/)]);
    expect(file.messages.filter((message) => message.ruleId === 'unsafe-url').map((message) => `${message.line}: ${message.reason}`)).toEqual([
      expect.stringMatching(/^1: the Markdown link’s href="javascript:alert\(1\)" is removed: links may go to http\(s\) or mailto/),
    ]);
  });

  it('removes an SVG with a script inside, whole', async () => {
    const { body } = await transform('前<svg onload="alert(1)"><script>alert(2)</script><text>图中字</text></svg>后\n');
    expect(body).toBe('<p id="b-1">前后</p>');
  });

  it('keeps images from the content folder and the web, drops file: and data: sources', async () => {
    const { body } = await transform('![甲](photos/a.jpg) ![乙](https://example.org/b.jpg) ![丙](file:///etc/passwd) <img src="data:image/svg+xml,<svg onload=alert(1)>" alt="丁">\n');
    expect(body).toContain('<img src="photos/a.jpg" alt="甲">');
    expect(body).toContain('<img src="https://example.org/b.jpg" alt="乙">');
    expect(body).toContain('<img alt="丙">');
    expect(body).toContain('<img alt="丁">');
    expect(body).not.toMatch(/file:|data:/);
  });

  it('keeps harmless inline markup and Markdown inside HTML blocks', async () => {
    const { body, file } = await transform('<b>粗</b><i>斜</i><sub>下</sub><sup>上</sup><ruby>汉<rt>hàn</rt></ruby>\n');
    expect(body).toBe('<p id="b-1"><b>粗</b><i>斜</i><sub>下</sub><sup>上</sup><ruby>汉<rt>hàn</rt></ruby></p>');
    expect(warnings(file)).toEqual([]);
  });

  it('never lets raw ids or names collide with the page’s own, and keeps ids unique', async () => {
    const { body } = await transform('<span id="headline">甲</span><span id="b-1">乙</span><img name="fonts" alt="丙"><span id="user-content-x">丁</span><span id="user-content-x">戊</span>\n');
    expect(body).toBe('<p id="b-1"><span>甲</span><span>乙</span><img alt="丙"><span id="user-content-x">丁</span><span>戊</span></p>');
  });

  it('refuses a character reference that makes a character XML cannot carry, at its line', async () => {
    let error: unknown;
    try {
      await transform('正文。\n\n<p>坏&#1;字</p>\n');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(VFileMessage);
    expect((error as VFileMessage).line).toBe(3);
    expect((error as VFileMessage).reason).toMatch(/U\+0001, which XML \(and so the EPUB\) cannot carry; remove the character reference/);
  });
});

describe('what Markdown makes is not raw HTML', () => {
  it('keeps a GFM table’s column alignment as a class on its cells, and says nothing', async () => {
    const { body, file } = await transform('| 单位 | 人数 | 说明 | 备注 |\n| :-- | :-: | --: | --- |\n| 京城机电 | 120 | 好 | 无 |\n');
    expect(body).not.toContain('align=');
    const cells = [...body.matchAll(/<(th|td)( class="[^"]*")?>/g)].map((match) => `${match[1]}${match[2] ?? ''}`);
    expect(cells).toEqual(['th class="align-left"', 'th class="align-center"', 'th class="align-right"', 'th', 'td class="align-left"', 'td class="align-center"', 'td class="align-right"', 'td']);
    expect(file.messages).toEqual([]);
  });

  it('keeps a task list’s boxes ticked or not, and says nothing', async () => {
    const { body, file } = await transform('- [x] 已完成的事\n- [ ] 未完成的事\n');
    expect(body).toContain('<li class="task-list-item"><input type="checkbox" checked disabled> 已完成的事</li>');
    expect(body).toContain('<li class="task-list-item"><input type="checkbox" disabled> 未完成的事</li>');
    expect(file.messages).toEqual([]);
  });

  it('keeps footnotes’ links, ids and the heading their references name, and says nothing', async () => {
    const { body, file } = await transform('脚注在此[^a]，再引一次[^a]。\n\n[^a]: 脚注的内容。\n');
    expect(body).toContain('<sup><a href="#user-content-fn-a" id="user-content-fnref-a" data-footnote-ref="" aria-describedby="footnote-label">1</a></sup>');
    expect(body).toContain('<h2 class="section-head" id="footnote-label">注释</h2>');
    expect(body).toContain('<li id="user-content-fn-a">');
    expect(body).toContain('<a href="#user-content-fnref-a-2" data-footnote-backref="" aria-label="返回引用 1-2" class="data-footnote-backref">');
    expect(file.messages).toEqual([]);
  });

  it('still cleans the same markup when the author writes it as HTML', async () => {
    const { body, file } = await transform(
      '<table><tr><td align="right" onclick="steal()">乙</td></tr></table>\n\n正文 <input type="checkbox" checked onclick="steal()"> 与 <input type="text" name="fonts">\n',
    );
    expect(body).toContain('<td>乙</td>');
    // The schema makes every input a disabled checkbox, as GitHub's does.
    expect(body).toContain('<input type="checkbox" checked disabled> 与 <input disabled type="checkbox">');
    expect(body).not.toMatch(/align|onclick|steal|"text"|name=/);
    expect(warnings(file)).toEqual([
      expect.stringMatching(/^1: raw HTML attribute align="right" on <td> is removed/),
      expect.stringMatching(/^1: raw HTML attribute onclick="steal\(\)" on <td> is removed: nothing in an article runs as a script/),
      expect.stringMatching(/^3: raw HTML attribute onclick="steal\(\)" on <input> is removed: nothing in an article runs as a script/),
      expect.stringMatching(/^3: raw HTML attribute name="fonts" on <input> is removed: ids and names are the page’s own/),
    ]);
    expect(file.messages.filter((message) => message.ruleId !== 'raw-html')).toEqual([]);
  });
});
