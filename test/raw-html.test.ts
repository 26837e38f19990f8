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
    expect(warnings(file).filter((warning) => warning.includes('href='))).toHaveLength(2);
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
