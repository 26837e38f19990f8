// edition.yml → Edition: the paper, the date, the issue and the pages in
// order, each with its section and the article files it carries. Validated at
// the edge like front matter: every error names edition.yml's line and the fix.
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { VFile } from 'vfile';
import { z } from 'zod';
import { decodeSource } from './decode.js';
import { sourceText } from './load.js';
import { isoDate, layoutSchema, pageNumber, slug, text, type LayoutOptions } from './schema.js';
import { validateYamlWithLines } from './validate.js';

export const EDITION_FILE = 'edition.yml';

/** An article on an edition page: its file, and optionally its share of the page's depth. */
const editionArticleSchema = z.preprocess(
  (value) => (typeof value === 'string' ? { file: value } : value),
  z.strictObject({
    /** The article's Markdown file, relative to edition.yml. */
    file: text,
    /** Its share of the page's type area (default: by its length); 2 takes twice the depth of 1. */
    share: z.number().positive().max(100).optional(),
  }),
);

const editionPageSchema = z.strictObject({
  /** 版面 name printed in the 报眉: 要闻, 国际, 副刊 … */
  section: text,
  /** 版次 label (A01); default: the page's place in the edition. */
  page: pageNumber.optional(),
  articles: z.array(editionArticleSchema).min(1, 'must list at least one article'),
});

export const editionSchema = z.strictObject({
  paper: text,
  date: isoDate,
  /** 期号: the issue number, 第N期. */
  issue: z.number().int().positive(),
  /** The edition's output folder and file names; default: edition.yml's folder name. */
  slug: slug.optional(),
  lang: text.default('zh-CN'),
  /** The edition's page preset and overrides (the paper's config's, if it names none). */
  layout: layoutSchema.optional(),
  pages: z.array(editionPageSchema).min(1, 'must list at least one page'),
});

export type EditionSource = z.infer<typeof editionSchema>;

export interface EditionArticle {
  /** Absolute path of the article file. */
  source: string;
  /** As written in edition.yml. */
  file: string;
  share?: number;
  /** Line of the entry in edition.yml. */
  line: number;
}

export interface EditionPage {
  /** 1-based place in the edition. */
  number: number;
  /** 版次 printed in the 报眉: the label given, else the page's number. */
  label: number | string;
  section: string;
  articles: EditionArticle[];
  line: number;
}

export interface Edition {
  /** The edition.yml vfile: messages about the edition go here. */
  file: VFile;
  slug: string;
  paper: string;
  date: string;
  issue: number;
  lang: string;
  layout: LayoutOptions;
  pages: EditionPage[];
}

/** Reads and checks edition.yml; throws the VFileMessage of the first problem (file, line, fix). */
export async function loadEdition(path: string, configLayout: LayoutOptions = {}): Promise<Edition> {
  const absolute = resolve(path);
  const file = new VFile({ path: absolute });
  let bytes = new Uint8Array();
  try {
    bytes = await readFile(absolute);
  } catch (error) {
    file.fail(`cannot read the edition (${error instanceof Error ? error.message : String(error)}); check that ${EDITION_FILE} is a readable file`, {
      ruleId: 'edition',
      source: 'presswork',
    });
  }
  // Decoded and checked as an article is (UTF-8, UTF-16, GB18030/GBK).
  const value = sourceText(file, () => decodeSource(bytes, absolute));
  file.value = value;
  return editionFromText(file, value, configLayout);
}

export function editionFromText(file: VFile, value: string, configLayout: LayoutOptions = {}): Edition {
  const { data, lines } = validateYamlWithLines(editionSchema, { text: value, firstLine: 1 }, file, 'edition');
  const dir = dirname(file.path);
  const fail = (line: number | undefined, reason: string): never => {
    const message = file.fail(reason, { place: { line: line ?? 1, column: 1 }, ruleId: 'edition', source: 'presswork' });
    throw message;
  };
  const seen = new Map<string, { line: number; page: number }>();
  const pages = data.pages.map((page, pageIndex): EditionPage => {
    const number = pageIndex + 1;
    const articles = page.articles.map((entry, articleIndex): EditionArticle => {
      const line = lines[`pages.${pageIndex}.articles.${articleIndex}`] ?? lines[`pages.${pageIndex}`] ?? 1;
      const source = resolve(dir, entry.file);
      if (!existsSync(source) || !statSync(source).isFile()) {
        fail(line, `article file \`${entry.file}\` (page ${number}) does not exist in ${dir}; write its path relative to ${EDITION_FILE}, or remove the line`);
      }
      const before = seen.get(source);
      if (before) {
        fail(
          line,
          `\`${entry.file}\` is listed twice: on page ${before.page} (line ${before.line}) and on page ${number}; an article is printed once in an edition — remove one of the two lines (an article continued onto a later page is not supported yet: give it more room on one page)`,
        );
      }
      seen.set(source, { line, page: number });
      return { source, file: entry.file, share: entry.share, line };
    });
    return { number, label: page.page ?? number, section: page.section, articles, line: lines[`pages.${pageIndex}`] ?? 1 };
  });
  const labels = new Map<string, number>();
  for (const page of pages) {
    const other = labels.get(String(page.label));
    if (other !== undefined) {
      fail(page.line, `pages ${other} and ${page.number} both have 版次 ${page.label}; give each page its own \`page:\` label`);
    }
    labels.set(String(page.label), page.number);
  }
  return {
    file,
    slug: data.slug ?? (basename(dir).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '') || 'edition'),
    paper: data.paper,
    date: data.date,
    issue: data.issue,
    lang: data.lang,
    layout: { ...configLayout, ...data.layout },
    pages,
  };
}
