// Source file → Article: decoded text in a vfile, validated front matter, the
// slug, and the running-head values completed from the project config.
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { VFile } from 'vfile';
import { checkText, decodeSource, normaliseLineEndings } from './decode.js';
import { SourceError } from './errors.js';
import { configSchema, frontMatterSchema, type FrontMatter, type LayoutOptions, type ProjectConfig } from './schema.js';
import { validateYaml, validateYamlWithLines, type YamlBlock, type YamlLines } from './validate.js';

export const CONFIG_FILE = 'presswork.config.yml';

/** What the 报眉 prints: the article's own values, else the project's. */
export interface RunningHead {
  paper?: string;
  date?: string;
  page?: number | string;
  section?: string;
  /** 期号 of an edition (printed under the masthead). */
  issue?: number;
  /** Which of the values came from a config marked `sample: true`. */
  sampleFields: Array<'paper' | 'date' | 'page' | 'section'>;
}

export interface Article {
  file: VFile;
  frontMatter: FrontMatter;
  slug: string;
  runningHead: RunningHead;
  /** The page layout: the paper's config overridden by the article's own `layout`. */
  layout: LayoutOptions;
}

declare module 'vfile' {
  interface DataMap {
    frontMatter: FrontMatter;
    /** Where each front-matter value stands (`photos.2` → its line). */
    frontMatterLines: YamlLines;
  }
}

/** Reads `presswork.config.yml` from `dir` if there is one. */
export function loadConfig(dir: string): ProjectConfig {
  const path = join(dir, CONFIG_FILE);
  if (!existsSync(path)) return configSchema.parse({});
  const file = new VFile({ path });
  // Decoded and checked as an article is: a config saved in GBK (old Windows Notepad) printed its paper's name as U+FFFD.
  file.value = sourceText(file, () => decodeSource(readFileSync(path), path));
  return validateYaml(configSchema, { text: String(file.value), firstLine: 1 }, file, 'config');
}

export async function loadArticle(path: string, config: ProjectConfig): Promise<Article> {
  const absolute = resolve(path);
  const file = new VFile({ path: absolute });
  const bytes = await readFile(absolute);
  const text = sourceText(file, () => decodeSource(bytes, absolute));
  return articleFromText(file, text, config);
}

/** As loadArticle, for text already in memory (tests, tools): the same checks, the same messages. */
export function loadArticleText(text: string, path: string, config: ProjectConfig): Article {
  const file = new VFile({ path: resolve(path) });
  return articleFromText(file, sourceText(file, () => normaliseLineEndings(checkText(text, file.path))), config);
}

/** `read()`, its decoding and character errors (a SourceError) becoming the file's own fatal message, at their line and column. */
export function sourceText(file: VFile, read: () => string): string {
  try {
    return read();
  } catch (error) {
    if (error instanceof SourceError) {
      const place = error.line ? { line: error.line, column: error.column ?? 1 } : undefined;
      file.fail(error.fix ? `${error.message}; ${error.fix}` : error.message, { place, ruleId: 'encoding', source: 'presswork' });
    }
    throw error;
  }
}

function articleFromText(file: VFile, text: string, config: ProjectConfig): Article {
  const absolute = file.path;
  file.value = text;
  const block = frontMatterBlock(text, file);
  const { data: frontMatter, lines } = validateYamlWithLines(frontMatterSchema, block, file, 'front-matter');
  file.data.frontMatter = frontMatter;
  file.data.frontMatterLines = lines;
  const closing = block.firstLine + block.text.split('\n').length;
  if (text.split('\n').slice(closing).join('').trim() === '') {
    file.fail(`the article has a front matter but no text; write the article below the closing \`---\` (line ${closing})`, {
      place: { line: closing, column: 1 },
      ruleId: 'empty-body',
      source: 'presswork',
    });
  }
  return {
    file,
    frontMatter,
    slug: frontMatter.slug ?? slugFromPath(absolute),
    runningHead: runningHead(frontMatter, config),
    layout: { ...config.layout, ...frontMatter.layout },
  };
}

export function slugFromPath(path: string): string {
  return basename(path, extname(path));
}

function frontMatterBlock(text: string, file: VFile): YamlBlock {
  if (text.trim() === '') {
    file.fail('the file is empty; write a front matter block (`---`, `headline: …`, `---`) and the article below it', {
      place: { line: 1, column: 1 },
      ruleId: 'front-matter',
      source: 'presswork',
    });
  }
  const lines = text.split('\n');
  // Fences as the Markdown parser reads them (remark-frontmatter): `---` and spaces or tabs, never `...`
  // or another white space: else the parser would print the front matter as body text, or swallow the body.
  const fence = /^---[ \t]*$/;
  if (!fence.test(lines[0] ?? '')) {
    file.fail('the file has no front matter; start it with a line `---`, then `headline: …`, then `---` (or turn plain text into an article with `presswork import`)', {
      place: { line: 1, column: 1 },
      ruleId: 'front-matter',
      source: 'presswork',
    });
  }
  const end = lines.findIndex((line, index) => index > 0 && fence.test(line));
  if (end < 0) {
    file.fail('the front matter is not closed; add a line `---` after its last key', {
      place: { line: 1, column: 1 },
      ruleId: 'front-matter',
      source: 'presswork',
    });
  }
  return { text: lines.slice(1, end).join('\n'), firstLine: 2 };
}

function runningHead(frontMatter: FrontMatter, config: ProjectConfig): RunningHead {
  const head: RunningHead = { sampleFields: [] };
  for (const key of ['paper', 'date', 'page', 'section'] as const) {
    const own = frontMatter[key];
    const fallback = config[key];
    if (own !== undefined) head[key] = own as never;
    else if (fallback !== undefined) {
      head[key] = fallback as never;
      if (config.sample) head.sampleFields.push(key);
    }
  }
  return head;
}
