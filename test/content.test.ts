// The articles in content/ are test material for every stage: each must load
// (front matter valid) and the long one must stay long and mixed, so that
// continuation pages and Han–Latin spacing are exercised.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toText } from 'hast-util-to-text';
import { describe, expect, it } from 'vitest';
import { loadArticle, loadConfig } from '../src/content/load.js';
import { createArticleProcessor, transformArticle } from '../src/transform/index.js';
import { collectSources } from '../src/publish/sources.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const LONG = join(root, 'content', 'manpages-zh-psql.md');

const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;

describe('content/', () => {
  it('every article loads with valid front matter and no errors; the long one without any message', async () => {
    const sources = await collectSources(['content'], root);
    expect(sources.map((path) => path.slice(root.length))).toEqual(['content/000_952877358d78f3b2.md', 'content/manpages-zh-psql.md']);
    const processor = createArticleProcessor();
    for (const source of sources) {
      const article = await loadArticle(source, loadConfig(root));
      await transformArticle(processor, article.file);
      expect(article.file.messages.filter((message) => message.fatal === true).map(String), source).toEqual([]);
      if (source === LONG) expect(article.file.messages.map(String)).toEqual([]);
    }
  });

  it('the long article has ≥ 10,000 Han characters in its body, mixed with Latin words and digits, and names its licence', async () => {
    const article = await loadArticle(LONG, loadConfig(root));
    const tree = await transformArticle(createArticleProcessor(), article.file);
    const text = toText(tree);
    const body = text.slice(text.indexOf('NAME'));
    expect(count(body, /\p{Script=Han}/gu)).toBeGreaterThanOrEqual(10_000);
    expect(count(body, /[A-Za-z]+/g)).toBeGreaterThan(500);
    expect(count(body, /\d+/g)).toBeGreaterThan(20);
    // Han directly against Latin or digits, the case text-autospace spaces.
    expect(count(body, /\p{Script=Han}[A-Za-z0-9]|[A-Za-z0-9]\p{Script=Han}/gu)).toBeGreaterThan(50);
    expect(article.file.data.sectionHeads?.length).toBeGreaterThanOrEqual(15);
    expect(readFileSync(LONG, 'utf8')).toMatch(/GNU FDL 1\.2 or later[\s\S]*content\/LICENSES\.txt/);
    expect(readFileSync(join(root, 'content', 'LICENSES.txt'), 'utf8')).toContain('GNU Free Documentation License');
  });
});
