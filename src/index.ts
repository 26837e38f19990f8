// presswork's programmatic API: what the CLI calls, stage by stage.
import { readFile } from 'node:fs/promises';
import { decodeSource } from './content/decode.js';
import { formatJoin, importText } from './content/import-text.js';
import { writeAtomic } from './publish/atomic.js';

export { loadArticle, loadConfig, type Article, type RunningHead } from './content/load.js';
export { frontMatterSchema, configSchema, type FrontMatter, type ProjectConfig } from './content/schema.js';
export { createArticleProcessor, transformArticle } from './transform/index.js';
export { loadTemplate, renderPage } from './layout/index.js';
export { findBrowser, launchBrowser, printPage } from './print/index.js';
export { buildEpub } from './epub/index.js';
export { build, FORMATS, type ArticleReport, type BuildOptions, type BuildReport, type Format } from './publish/build.js';
export { UsageError } from './publish/sources.js';
export { PRESSWORK_VERSION } from './version.js';

export interface ImportOutcome {
  markdown: string;
  /** One line per repair, for stderr. */
  report: string[];
}

/** Plain text → Markdown with front matter; written atomically to `output` when given. */
export async function importFile(path: string, output?: string): Promise<ImportOutcome> {
  const text = decodeSource(await readFile(path), path);
  const result = importText(text, { source: path });
  if (output) await writeAtomic(output, new TextEncoder().encode(result.markdown));
  return { markdown: result.markdown, report: result.joins.map((join) => formatJoin(join, path)) };
}
