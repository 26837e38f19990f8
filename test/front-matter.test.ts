import { describe, expect, it } from 'vitest';
import { VFile } from 'vfile';
import { VFileMessage } from 'vfile-message';
import { configSchema, frontMatterSchema } from '../src/content/schema.js';
import { validateYaml } from '../src/content/validate.js';

/** Validates `yaml` as front matter starting on line 2 (after the opening ---); returns the message thrown. */
function failure(yaml: string): VFileMessage {
  const file = new VFile({ path: 'content/story.md' });
  try {
    validateYaml(frontMatterSchema, { text: yaml, firstLine: 2 }, file, 'front-matter');
  } catch (error) {
    if (error instanceof VFileMessage) return error;
    throw error;
  }
  throw new Error('expected a validation error');
}

describe('front matter schema', () => {
  it('accepts the seed front matter and fills lang', () => {
    const file = new VFile({ path: 'a.md' });
    const data = validateYaml(
      frontMatterSchema,
      { text: 'headline: 努力实现服务职工零距离\nauthors: [王路曼, 陈曦]\nphotos:\n  - name: 卢暘\n    caption: 北京奔驰工会主席\n', firstLine: 2 },
      file,
      'front-matter',
    );
    expect(data.lang).toBe('zh-CN');
    expect(data.authors).toEqual(['王路曼', '陈曦']);
    expect(data.photos).toEqual([{ name: '卢暘', caption: '北京奔驰工会主席' }]);
  });

  it('names the file and line of an unknown key and suggests the near one', () => {
    const message = failure('headline: 标题\nauthor: [王路曼]\n');
    expect(message.file).toBe('content/story.md');
    expect(message.line).toBe(3);
    expect(message.ruleId).toBe('front-matter');
    expect(message.reason).toContain('unknown key `author`');
    expect(message.reason).toContain('did you mean `authors`?');
  });

  it('suggests near keys inside photos too', () => {
    const message = failure('headline: 标题\nphotos:\n  - captoin: 北京奔驰工会主席\n');
    expect(message.line).toBe(4);
    expect(message.reason).toContain('`photos.0.captoin`');
    expect(message.reason).toContain('did you mean `caption`?');
  });

  it('says a missing headline is required and how to add it', () => {
    const message = failure('deck: ——副题\n');
    expect(message.reason).toContain('`headline` is required');
    expect(message.reason).toContain('add `headline: …`');
  });

  it('refuses a date that is not a calendar date, on its line', () => {
    const message = failure('headline: 标题\ndate: 2026-02-30\n');
    expect(message.line).toBe(3);
    expect(message.reason).toContain('`date` is not a real calendar date');
    expect(message.reason).toContain('YYYY-MM-DD');
  });

  it('refuses photos that are not a list', () => {
    const message = failure('headline: 标题\nphotos: 赵莹\n');
    expect(message.line).toBe(3);
    expect(message.reason).toMatch(/`photos` .*array/);
    expect(message.reason).toContain('write photos as a list');
  });

  it('refuses a control character made by a YAML escape, on its line', () => {
    const message = failure('headline: 标题\nauthors: [王路曼, "\\b"]\n');
    expect(message.line).toBe(3);
    expect(message.reason).toMatch(/`authors.1` holds a control character .*a YAML escape such as "\\x01" or "\\b" in quotes.*; delete the escape/);
    expect(failure('headline: "\\x01"\n').line).toBe(2);
  });

  it('refuses a value YAML would read as an alias or an anchor, on its line, asking for quotes', () => {
    const alias = failure('headline: 标题\ndeck: *号外\n');
    expect(alias.line).toBe(3);
    expect(alias.reason).toMatch(/^`\*号外` is read by YAML as an alias, not as text; put the value in quotes/);
    const anchor = failure('headline: &号外 今日要闻\n');
    expect(anchor.line).toBe(2);
    expect(anchor.reason).toMatch(/^`&号外` is read by YAML as an anchor, not as text/);
  });

  it('reports YAML syntax errors on their line', () => {
    const message = failure('headline: 标题\ndeck: [unclosed\nbyline: x\n');
    expect(message.reason).toContain('is not valid YAML');
    expect(message.line).toBeGreaterThanOrEqual(3);
  });

  it('validates the project config with the same machinery', () => {
    const file = new VFile({ path: 'presswork.config.yml' });
    expect(validateYaml(configSchema, { text: 'sample: true\npaper: 示例日报\n', firstLine: 1 }, file, 'config')).toEqual({
      sample: true,
      paper: '示例日报',
    });
    expect(() => validateYaml(configSchema, { text: 'papr: 示例日报\n', firstLine: 1 }, file, 'config')).toThrow(/did you mean `paper`/);
  });
});
