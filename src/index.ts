// presswork's programmatic API: what the CLI calls, stage by stage.
export { importFile, type ImportOutcome } from './content/import-file.js';
export { importText, formatJoin } from './content/import-text.js';
export { loadArticle, loadConfig, type Article, type RunningHead } from './content/load.js';
export { frontMatterSchema, configSchema, type FrontMatter, type ProjectConfig } from './content/schema.js';
export { loadEdition, editionSchema, EDITION_FILE, type Edition, type EditionPage, type EditionArticle } from './content/edition.js';
export { buildEditionEpub, type EditionEpubInput } from './epub/edition.js';
export type { EditionReport } from './publish/edition.js';
export { createArticleProcessor, transformArticle } from './transform/index.js';
export { loadTemplate, renderPage } from './layout/index.js';
export { findBrowser, launchBrowser, printPage } from './print/index.js';
export { buildEpub } from './epub/index.js';
export { build, FORMATS, type ArticleReport, type BuildOptions, type BuildReport, type Format } from './publish/build.js';
export { UsageError } from './publish/sources.js';
export { PRESSWORK_VERSION } from './version.js';
export { MANIFEST_VERSION, manifestSchema, manifestJsonSchema, mergeManifests, readManifest, type Manifest, type ManifestArticle, type ManifestEdition } from './publish/manifest.js';
export { parseShard, inShard, type Shard } from './publish/shard.js';
export { junitXml } from './publish/junit.js';
