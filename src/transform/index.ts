// The one processor of a build: Markdown → the article tree (hast) that both
// the page and the EPUB are made from. Created once, reused for every article.
import type { Root } from 'hast';
import rehypeStringify from 'rehype-stringify';
import remarkCjkFriendly from 'remark-cjk-friendly';
import remarkCjkFriendlyStrikethrough from 'remark-cjk-friendly-gfm-strikethrough';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { VFile } from 'vfile';
import articleStructure from './article-structure.js';
import blockIds from './block-ids.js';
import figures from './figures.js';
import footnoteLabels from './footnote-labels.js';
import keptText from './kept-text.js';
import rawHtml from './raw-html.js';
import sectionHeads from './section-heads.js';
import tableAlignment from './table-alignment.js';

export type { SectionHead } from './section-heads.js';

export function createArticleProcessor() {
  return unified()
    .use(remarkParse)
    .use(remarkFrontmatter, ['yaml'])
    .use(remarkGfm)
    // `是**“引号”**后`: CommonMark takes no ** or ~~ as emphasis or strikethrough when a CJK punctuation
    // mark is just inside it and a hanzi just outside, and printed the asterisks; Chinese authors write it so.
    .use(remarkCjkFriendly)
    .use(remarkCjkFriendlyStrikethrough)
    .use(keptText)
    // Markdown becomes the tree with raw HTML still raw, so what Markdown made can be told apart;
    // then raw HTML is parsed into the tree and the whole is sanitized before anything else sees it.
    .use(footnoteLabels)
    .use(tableAlignment)
    .use(rawHtml)
    .use(sectionHeads)
    .use(articleStructure)
    .use(figures)
    .use(blockIds)
    .use(rehypeStringify);
}

export type ArticleProcessor = ReturnType<typeof createArticleProcessor>;

/** Runs the processor's transformers on a loaded article; the tree rides back, results on `file.data`. */
export async function transformArticle(processor: ArticleProcessor, file: VFile): Promise<Root> {
  return (await processor.run(processor.parse(file), file)) as Root;
}
