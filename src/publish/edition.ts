// Editions: a folder's edition.yml → one PDF of the whole edition (each page
// its 报眉 or masthead, folio and modules), its page previews and one EPUB
// with every article as a chapter — besides each article's own files, which
// the build makes as for any article. All of an edition's files are written
// together after all are made, or none is.
import { createHash } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { Root } from 'hast';
import { toText } from 'hast-util-to-text';
import pLimit from 'p-limit';
import { glob } from 'tinyglobby';
import { VFile } from 'vfile';
import { VFileMessage } from 'vfile-message';
import { EDITION_FILE, loadEdition, type Edition, type EditionArticle } from '../content/edition.js';
import type { Article } from '../content/load.js';
import type { LayoutOptions } from '../content/schema.js';
import { depthFlex, editionPageGeometry, formatChineseDate, formatPageNumber, moduleFlex, moduleGeometry, renderEditionPage, renderPage, restack, shiftedSplits, type Box, type Template } from '../layout/index.js';
import { MM_PER_PT } from '../layout/units.js';
import { epubPhotos, type PreparedPhoto, preparePhotos, withPreparedPhotos } from '../layout/photos.js';
import type { ComposedPage } from '../print/edition.js';
import { CHECK_NAMES, preflight, printPage, type BrowserSession, type CheckName, type Preflight, type PrintOptions, type RemoteImages } from '../print/index.js';
import { transformArticle, type ArticleProcessor, type SectionHead } from '../transform/index.js';
import { PRESSWORK_VERSION } from '../version.js';
import { writeAllOrNone, WriteError } from './atomic.js';
import { reusable } from './cache.js';
import { DEFAULT_CONTENT_DIR } from './sources.js';
import { fatal, sha256, toRecord, writeFailure, type ArticleReport, type MessageRecord, type OutputRecord } from './build.js';
import type { ManifestEdition } from './manifest.js';
import type { Format } from './formats.js';

/** pdf-lib and sharp load when an edition is built, not with every command (about 0.1 s of each cold start). */
const editionPrint = () => import('../print/edition.js');

/** The edition's own formats: the page HTML stays per article. */
export type EditionFormat = Extract<Format, 'pdf' | 'epub' | 'png'>;

export type EditionModuleReport = {
  slug: string;
  source: string;
  /** The module's box on the page, in mm from its top left corner. */
  box: Box;
  bodySize: number;
  leading: number;
  fill: number;
};

export type EditionPageReport = {
  page: number;
  /** 版次 as printed: 第1版, A01版. */
  label: string;
  section: string;
  articles: EditionModuleReport[];
};

/** As an article's report: source (edition.yml), slug, title, ok, cached, cacheKey (of edition.yml and its articles' keys). */
export interface EditionReport extends Pick<ArticleReport, 'source' | 'slug' | 'title' | 'ok' | 'cached' | 'cacheKey'> {
  paper?: string;
  date?: string;
  issue?: number;
  outputs: Partial<Record<EditionFormat, OutputRecord>>;
  pages: EditionPageReport[];
  /** The edition's articles in order, each with the page it is printed on. */
  articles: Array<{ slug: string; source: string; page: number }>;
  messages: MessageRecord[];
  /** The edition.yml vfile, for the terminal report. */
  file: VFile;
}

/** An edition.yml after loading: the edition, or the message that says why not. */
export type LoadedEdition = { path: string; edition: Edition; file: VFile } | { path: string; edition?: undefined; file: VFile };

/** Where the edition finds each of its articles as the build loaded it. */
export interface EditionArticles {
  article(source: string): { article?: Article; file: VFile; ok: boolean } | undefined;
}

export interface EditionContext {
  cwd: string;
  outDir: string;
  formats: Format[];
  write: boolean;
  template: Template;
  processor: ArticleProcessor;
  session: BrowserSession;
  concurrency: number;
  sourceDateEpoch?: number;
  timeoutMs: number;
  remoteImages?: RemoteImages;
  /** Work folders in progress, removed on Ctrl-C / SIGTERM too. */
  workDirs: Set<string>;
  /** Slugs of the build's articles: an edition may not write into one's folder. */
  articleSlugs: Map<string, string>;
  display: (path: string) => string;
  /** The article's cache key, as this build computed it (undefined when not writing). */
  articleKey: (source: string) => Promise<string | undefined>;
  /** The last build's record of this edition, to keep when nothing changed; absent with --no-cache. */
  previous?: ManifestEdition;
}

const PREVIEW_SCALE = 1.5;

/**
 * The edition.yml files named on the command line or found in its folders,
 * and the paths left for the article search (an edition.yml path stands for
 * its folder; a folder with an edition.yml and no article is left out).
 */
export async function findEditions(paths: string[], cwd: string): Promise<{ editions: string[]; articlePaths: string[] }> {
  const editions: string[] = [];
  const articlePaths: string[] = [];
  for (const path of paths.length > 0 ? paths : [DEFAULT_CONTENT_DIR]) {
    const absolute = resolve(cwd, path);
    const info = await stat(absolute).catch(() => undefined);
    if (info?.isFile() && basename(absolute) === EDITION_FILE) {
      editions.push(absolute);
      articlePaths.push(dirname(absolute));
    } else {
      const inside = info?.isDirectory() ? await glob([`**/${EDITION_FILE}`], { cwd: absolute, absolute: true, ignore: ['**/node_modules/**'] }) : [];
      editions.push(...inside);
      // A folder holding only an edition.yml (its articles elsewhere) is not a folder without articles.
      const articles = inside.length > 0 ? await glob(['**/*.md', '**/*.markdown'], { cwd: absolute, ignore: ['**/node_modules/**'] }) : [];
      if (inside.length === 0 || articles.length > 0) articlePaths.push(path);
    }
  }
  return { editions: [...new Set(editions)].sort(), articlePaths };
}

export async function loadEditions(paths: string[], layout: LayoutOptions | undefined): Promise<LoadedEdition[]> {
  return Promise.all(
    paths.map(async (path): Promise<LoadedEdition> => {
      try {
        const edition = await loadEdition(path, layout);
        return { path, edition, file: edition.file };
      } catch (error) {
        const file = new VFile({ path });
        if (error instanceof VFileMessage) file.messages.push(error);
        else fatal(file, error instanceof Error ? error.message : String(error), 'edition');
        return { path, file };
      }
    }),
  );
}

/**
 * An article printed in an edition takes the edition's paper and date and
 * its page's 版次 and section for its own 报眉 and metadata, where its front
 * matter names none (the config's values give way). Returns, by source, what
 * was taken, for the article's cache key.
 */
export function takeEditionHeads(editions: LoadedEdition[], article: (source: string) => Article | undefined): Map<string, string> {
  const taken = new Map<string, string>();
  for (const { edition } of editions) {
    for (const page of edition?.pages ?? []) {
      for (const entry of page.articles) {
        const found = article(entry.source);
        if (!edition || !found) continue;
        const values = { paper: edition.paper, date: edition.date, page: page.label, section: page.section };
        for (const key of ['paper', 'date', 'page', 'section'] as const) {
          if (found.frontMatter[key] !== undefined) continue;
          found.runningHead = { ...found.runningHead, [key]: values[key], sampleFields: found.runningHead.sampleFields.filter((field) => field !== key) };
        }
        taken.set(entry.source, JSON.stringify(values));
      }
    }
  }
  return taken;
}

/** 《北京工人报》2026年11月29日 第1234期 */
export function editionTitle(edition: Pick<Edition, 'paper' | 'date' | 'issue'>): string {
  return `《${edition.paper}》${formatChineseDate(edition.date).split(' ')[0]} 第${edition.issue}期`;
}

interface ModuleArticle {
  entry: EditionArticle;
  article: Article;
  tree: Root;
  sectionHeads: SectionHead[];
  chars: number;
}

export async function buildEdition(loaded: LoadedEdition, articles: EditionArticles, context: EditionContext): Promise<EditionReport> {
  const { file, edition } = loaded;
  const report = (extra: Partial<EditionReport>): EditionReport => ({
    source: context.display(loaded.path),
    slug: edition?.slug ?? basename(dirname(loaded.path)),
    ...(edition ? { title: editionTitle(edition), paper: edition.paper, date: edition.date, issue: edition.issue } : {}),
    ok: !file.messages.some((message) => message.fatal),
    outputs: {},
    pages: [],
    articles: [],
    messages: file.messages.map(toRecord),
    file,
    ...extra,
  });
  if (!edition || file.messages.some((message) => message.fatal)) return report({});
  const where = (entry: EditionArticle) => ({ place: { line: entry.line, column: 1 }, source: 'presswork' });

  const other = context.articleSlugs.get(edition.slug);
  if (other !== undefined) {
    fatal(file, `the edition's slug "${edition.slug}" is also the slug of ${other}; both would write ${edition.slug}/ — give the edition its own \`slug:\` in ${EDITION_FILE}`, 'duplicate-slug');
    return report({});
  }
  // Every article must have loaded: the edition cannot print without one of its pages' stories.
  const ready: ModuleArticle[][] = [];
  for (const page of edition.pages) {
    const modules: ModuleArticle[] = [];
    for (const entry of page.articles) {
      const found = articles.article(entry.source);
      if (!found?.article || !found.ok) {
        file.message(`\`${entry.file}\` failed to build (see its own messages above); the edition is not built until it is fixed or taken off page ${page.number}`, {
          ...where(entry),
          ruleId: 'edition-article',
        }).fatal = true;
        continue;
      }
      modules.push(await moduleArticle(entry, found.article, context.processor));
    }
    ready.push(modules);
  }
  if (file.messages.some((message) => message.fatal)) return report({});

  const key = await editionKey(edition, context);
  const wanted = (['pdf', 'epub', 'png'] as const).filter((format) => context.formats.includes(format));
  const { previous } = context;
  if (key && previous && (await reusable(previous, key, context.outDir, wanted))) {
    return report({ cached: true, cacheKey: key, outputs: previous.outputs, pages: previous.pages as EditionPageReport[], articles: previous.articles as EditionReport['articles'], messages: previous.messages as MessageRecord[] });
  }

  const workDir = await mkdtemp(join(tmpdir(), 'presswork-edition-'));
  context.workDirs.add(workDir);
  try {
    const allowedRoots = [context.template.dir, ...context.template.fonts.map((font) => dirname(font.cssPath))];
    const wants = (format: EditionFormat) => context.write && context.formats.includes(format);
    // A module's PDF goes into the edition's PDF, its preview into the page previews and the EPUB's cover.
    const moduleOutputs = { pdf: wants('pdf'), previews: wants('png') || wants('epub') ? 'all' : 'none' } as const;
    const composed: ComposedPage[] = [];
    /** Each module's photos as its print prepared them: the EPUB packs the same files. */
    const photosOf = new Map<ModuleArticle, PreparedPhoto[]>();
    const pageReports: EditionPageReport[] = [];
    const pool = pLimit(context.concurrency);
    for (const [index, page] of edition.pages.entries()) {
      const modules = ready[index] ?? [];
      const geometry = editionPageGeometry(edition.layout, page.number === 1);
      const head = { paper: edition.paper, date: edition.date, page: page.label, section: page.section, issue: edition.issue, sampleFields: [] };
      const pageInput = { lang: edition.lang, title: `${editionTitle(edition)} ${formatPageNumber(page.label)}`, head, geometry };
      const flex = moduleFlex(
        modules.map((module) => ({
          chars: module.chars,
          headline: module.article.frontMatter.headline,
          kicker: module.article.frontMatter.kicker !== undefined,
          deck: module.article.frontMatter.deck !== undefined,
          byline: module.article.frontMatter.byline !== undefined,
          photos: module.article.frontMatter.photos?.length ?? 0,
          share: module.entry.share,
        })),
        geometry,
      );
      const printFurniture = async (frames: string[]) =>
        (await editionPrint()).printFurniture(context.session, renderEditionPage(context.template, { ...pageInput, flex: frames }), geometry, {
          workDir,
          allowedRoots,
          name: `page-${page.number}.html`,
          previewScale: PREVIEW_SCALE,
          timeoutMs: context.timeoutMs,
        });
      let furniture = await printFurniture(flex);
      const typeAreaHeight = furniture.typeArea.height;
      const printIn = (module: ModuleArticle, box: Box, outputs: ModuleOutputs) =>
        pool(() => printModule(module, moduleGeometry(geometry, box, typeAreaHeight), workDir, allowedRoots, outputs, context));
      let placed: ModuleOnPage[] = await Promise.all(
        modules.map(async (module, moduleIndex) => {
          const box = furniture.frames[moduleIndex];
          if (!box) throw new Error(`page ${page.number} has no frame for module ${moduleIndex + 1}`);
          return { module, box, printed: await printIn(module, box, moduleOutputs) };
        }),
      );
      // The split is ours when edition.yml gives no shares: a module that fills badly trades depth with its neighbour.
      if (placed.length > 1 && modules.every((module) => module.entry.share === undefined)) {
        const line = geometry.bodySize.max * geometry.leading.min * MM_PER_PT;
        const leveled = await levelModules(placed, line, (module, box) => printIn(module, box, NO_OUTPUTS));
        if (leveled) {
          const moved = leveled.filter((module, index) => module.box.height !== placed[index]?.box.height);
          furniture = await printFurniture(depthFlex(leveled.map((module) => module.box.height)));
          placed = await Promise.all(leveled.map(async (module) => (moved.includes(module) ? { ...module, printed: await printIn(module.module, module.box, moduleOutputs) } : module)));
          const [first] = moved;
          file.info(
            `page ${page.number}: the rule${moved.length > 2 ? 's' : ''} between its modules moved so that each fills its box with its columns ending level — ${moved
              .map((module) => `\`${module.module.entry.file}\` ${module.box.height.toFixed(1)} mm deep`)
              .join(', ')}`,
            { ...(first ? where(first.module.entry) : {}), ruleId: 'edition-balance' },
          );
        }
      }
      for (const { module, box, printed } of placed) {
        photosOf.set(module, printed.photos);
        const { checks } = printed;
        if (!checks.overflow.ok) {
          file.message(
            `\`${module.entry.file}\` does not fit its module on page ${page.number} (${box.width.toFixed(0)} × ${box.height.toFixed(0)} mm) even at ${printed.bodySize} pt; give it more room (a larger \`share:\` than the other articles on the page), put fewer articles on page ${page.number}, or move it to a page of its own`,
            { ...where(module.entry), ruleId: 'edition-overflow' },
          ).fatal = true;
        } else if (!checks.ok) {
          const failed = CHECK_NAMES.filter((name) => !checks[name].ok);
          file.message(`\`${module.entry.file}\` on page ${page.number}: preflight found ${failed.join(', ')} in its module (fill ${checks.fill}); adjust its \`share:\` to give it a better fit`, {
            ...where(module.entry),
            ruleId: 'edition-preflight',
          });
        }
      }
      composed.push({ furniture, modules: placed.map(({ box, printed }) => ({ pdf: printed.pdf, png: printed.png, box })) });
      pageReports.push({
        page: page.number,
        label: formatPageNumber(page.label),
        section: page.section,
        articles: placed.map(({ module, box, printed }) => ({
          slug: module.article.slug,
          source: context.display(module.entry.source),
          box: { x: round(box.x), y: round(box.y), width: round(box.width), height: round(box.height) },
          bodySize: printed.bodySize,
          leading: printed.leading,
          fill: printed.checks.fill,
        })),
      });
    }
    const orderedArticles = pageReports.flatMap((page) => page.articles.map((module) => ({ slug: module.slug, source: module.source, page: page.page })));
    if (file.messages.some((message) => message.fatal)) return report({ pages: pageReports, articles: orderedArticles });

    const payloads: Array<{ name: string; format: EditionFormat | 'png-more'; bytes: Uint8Array; pages?: number; fonts?: OutputRecord['fonts'] }> = [];
    const allModules = ready.flat();
    if (wants('pdf')) {
      const { pdf, pages } = await (await editionPrint()).composeEditionPdf(composed, {
        title: editionTitle(edition),
        authors: [...new Set(allModules.flatMap((module) => module.article.frontMatter.authors ?? []))],
        subject: allModules.map((module) => module.article.frontMatter.headline).join('；'),
        keywords: [edition.paper, ...new Set(edition.pages.map((page) => page.section))],
        lang: edition.lang,
        creator: `presswork ${PRESSWORK_VERSION}`,
        // Fixed dates: SOURCE_DATE_EPOCH, else the edition's date; never the clock.
        sourceDateEpoch: context.sourceDateEpoch ?? Date.parse(`${edition.date}T00:00:00Z`) / 1000,
      });
      payloads.push({ name: `${edition.slug}.pdf`, format: 'pdf', bytes: pdf, pages });
    }
    const pngs = wants('png') || wants('epub') ? await Promise.all(composed.map(async (page) => (await editionPrint()).composeEditionPng(page, PREVIEW_SCALE))) : [];
    if (wants('epub')) {
      const { buildEditionEpub } = await import('../epub/edition.js');
      const epub = await buildEditionEpub({
        paper: edition.paper,
        date: edition.date,
        issue: edition.issue,
        lang: edition.lang,
        title: editionTitle(edition),
        pages: edition.pages.map((page) => ({ page: page.number, label: page.label, section: page.section })),
        chapters: await Promise.all(
          edition.pages.flatMap((page, index) =>
            (ready[index] ?? []).map(async (module) => {
              const shown = await epubPhotos(module.tree, photosOf.get(module) ?? [], dirname(module.article.file.path));
              return { ...shown, name: module.entry.file, frontMatter: module.article.frontMatter, sectionHeads: module.sectionHeads, page: page.number };
            }),
          ),
        ),
        creator: `presswork ${PRESSWORK_VERSION}`,
        sourceDateEpoch: context.sourceDateEpoch,
        fonts: context.template.fonts,
        cover: pngs[0],
        file,
      });
      payloads.push({ name: `${edition.slug}.epub`, format: 'epub', bytes: epub.bytes, pages: epub.pages, fonts: epub.fonts });
    }
    if (wants('png')) {
      pngs.forEach((bytes, index) => {
        payloads.push({ name: index === 0 ? `${edition.slug}.png` : `${edition.slug}-${index + 1}.png`, format: index === 0 ? 'png' : 'png-more', bytes, pages: pngs.length });
      });
    }

    const outputs: EditionReport['outputs'] = {};
    if (context.write) {
      const pathOf = (name: string) => join(context.outDir, edition.slug, name);
      try {
        await writeAllOrNone(payloads.map((payload) => ({ path: pathOf(payload.name), bytes: payload.bytes })));
      } catch (error) {
        if (!(error instanceof WriteError)) throw error;
        fatal(file, writeFailure(error, 'edition', context.outDir), 'write');
        return report({ pages: pageReports, articles: orderedArticles });
      }
      for (const payload of payloads) {
        const path = pathOf(payload.name);
        const record: OutputRecord = { path: relative(context.outDir, path), bytes: payload.bytes.byteLength, sha256: sha256(payload.bytes) };
        if (payload.format === 'png-more') {
          const first = outputs.png;
          if (first) first.more = [...(first.more ?? []), record];
        } else {
          outputs[payload.format] = { ...record, ...(payload.pages !== undefined ? { pages: payload.pages } : {}), ...(payload.fonts ? { fonts: payload.fonts } : {}) };
        }
      }
    }
    return report({ outputs, pages: pageReports, articles: orderedArticles, ...(key ? { cacheKey: key } : {}) });
  } catch (error) {
    if (error instanceof VFileMessage) {
      if (!file.messages.includes(error)) file.messages.push(error);
    } else fatal(file, error instanceof Error ? error.message : String(error), 'build');
    return report({});
  } finally {
    await rm(workDir, { recursive: true, force: true });
    context.workDirs.delete(workDir);
  }
}

/** edition.yml's text and its articles' keys in order: any change to either makes the edition again. */
async function editionKey(edition: Edition, context: EditionContext): Promise<string | undefined> {
  if (!context.write) return undefined;
  const hash = createHash('sha256').update('edition\0').update(String(edition.file.value));
  for (const entry of edition.pages.flatMap((page) => page.articles)) {
    const key = await context.articleKey(entry.source);
    if (key === undefined) return undefined;
    hash.update(`\0${entry.source}\0${key}`);
  }
  return hash.digest('hex');
}

/** The article's tree made again on a copy of its vfile: its own build reports its messages once. */
async function moduleArticle(entry: EditionArticle, article: Article, processor: ArticleProcessor): Promise<ModuleArticle> {
  const copy = new VFile({ path: article.file.path, value: article.file.value });
  copy.data = { ...article.file.data };
  const tree = await transformArticle(processor, copy);
  return { entry, article: { ...article, file: copy }, tree, sectionHeads: copy.data.sectionHeads ?? [], chars: [...toText(tree).replace(/\s/g, '')].length };
}

type ModuleOutputs = NonNullable<PrintOptions['outputs']>;
/** A module laid out and checked, not printed: a split being tried. */
const NO_OUTPUTS: ModuleOutputs = { pdf: false, previews: 'none' };

type PrintedModule = Awaited<ReturnType<typeof printModule>>;
interface ModuleOnPage {
  module: ModuleArticle;
  box: Box;
  printed: PrintedModule;
}

/** Rule moves one page tries at most; each lays out the two modules it changes. */
const MAX_RULE_MOVES = 8;
/** Checks a module's depth decides: its columns end level, its last line near the foot. */
const DEPTH_CHECKS: readonly CheckName[] = ['underfill', 'columnBalance'];

/**
 * A desk's last step on a page whose split is ours: while a module fills its box badly (columns
 * ending unevenly, or short of the foot), move the rule over or under it by a body line or two
 * (shiftedSplits) and lay out the two modules it changes; keep the first move after which both
 * pass the depth checks and neither fails a check it passed. The rest of the page stays as it is.
 * Returns the modules in their new boxes (laid out, not printed), or undefined when no move helped.
 */
async function levelModules(placed: ModuleOnPage[], line: number, layOut: (module: ModuleArticle, box: Box) => Promise<PrintedModule>): Promise<ModuleOnPage[] | undefined> {
  const faulty = (checks: Preflight) => DEPTH_CHECKS.some((name) => !checks[name].ok);
  const others = CHECK_NAMES.filter((name) => name !== 'overflow' && !DEPTH_CHECKS.includes(name));
  const boxes = placed.map((module) => module.box);
  let current = placed;
  let tries = 0;
  for (;;) {
    const failing = current.flatMap((module, index) => (faulty(module.printed.checks) ? [index] : []));
    if (failing.length === 0) break;
    let kept: ModuleOnPage[] | undefined;
    for (const split of shiftedSplits(current.map((module) => module.box.height), failing, line)) {
      if (tries >= MAX_RULE_MOVES) break;
      tries++;
      const moved = restack(boxes, split.heights);
      const laid = await Promise.all(split.changed.map((index) => layOut(current[index]!.module, moved[index]!)));
      const better = laid.every((trial, k) => {
        const before = current[split.changed[k]!]!.printed.checks;
        return trial.checks.overflow.ok && !faulty(trial.checks) && others.every((name) => trial.checks[name].ok || !before[name].ok);
      });
      if (better) {
        kept = current.map((module, index) => {
          const k = split.changed.indexOf(index);
          return k < 0 ? module : { ...module, box: moved[index]!, printed: laid[k]! };
        });
        break;
      }
    }
    if (!kept) break;
    current = kept;
  }
  return current === placed ? undefined : current;
}

async function printModule(
  module: ModuleArticle,
  geometry: ReturnType<typeof moduleGeometry>,
  workDir: string,
  allowedRoots: string[],
  outputs: ModuleOutputs,
  context: EditionContext,
) {
  const { article } = module;
  const moduleDir = await mkdtemp(join(workDir, 'module-'));
  const photos = await preparePhotos(article.frontMatter.photos ?? [], article.file, moduleDir);
  const doc = renderPage(article, withPreparedPhotos(module.tree, photos, 'print'), context.template, { geometry, module: true });
  const printed = await printPage(context.session, doc, {
    workDir: moduleDir,
    allowedRoots: [...allowedRoots, dirname(article.file.path)],
    metadata: { title: article.frontMatter.headline, authors: [], lang: article.frontMatter.lang, creator: `presswork ${PRESSWORK_VERSION}` },
    // One page: a module that does not fit is an error to fix in edition.yml, not a jump to another page.
    fit: { bodySize: geometry.bodySize, leading: geometry.leading, folio: doc.folio, maxPages: 1 },
    render: outputs.pdf || outputs.previews !== 'none',
    outputs,
    previewScale: PREVIEW_SCALE,
    timeoutMs: context.timeoutMs,
    remoteImages: context.remoteImages,
  });
  const checks = preflight({ ...printed, fonts: context.template.fonts });
  return { pdf: printed.pdf, png: printed.png, checks, bodySize: printed.fit.bodySize, leading: printed.fit.leading, photos };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
