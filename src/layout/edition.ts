// An edition page: the paper's page (报眉 or masthead, page foot) whose type
// area is cut into modules — one full-width band per article, stacked in the
// order edition.yml lists them and ruled apart. Each article is then laid out
// and copyfitted in its module's box, as a page of that size with no
// furniture of its own; the print stage places the modules on the page.
import { h } from 'hastscript';
import rehypeStringify from 'rehype-stringify';
import { unified } from 'unified';
import type { RunningHead } from '../content/load.js';
import { fileUrl, pageShell, type Template } from './index.js';
import { geometryCss, pageGeometry, type PageGeometry } from './presets.js';
import type { LayoutOptions } from '../content/schema.js';
import { MM_PER_PT } from './units.js';

/** What the layout needs to know of an article to give it its share of a page. */
export interface ModuleCopy {
  /** Characters of body text. */
  chars: number;
  headline: string;
  kicker: boolean;
  deck: boolean;
  byline: boolean;
  photos: number;
  /** The share edition.yml gives it, if any. */
  share?: number;
}

/**
 * The CSS `flex` of each module's frame. With no `share` given, each module
 * starts at the estimated depth of its headline block (and portrait strip)
 * and the rest of the page is shared by the length of the body text, so every
 * article gets about the same body type. When any article on the page gives a
 * `share`, the page is split by the shares alone (1 where none is given).
 */
export function moduleFlex(copies: ModuleCopy[], geometry: PageGeometry): string[] {
  if (copies.some((copy) => copy.share !== undefined)) return copies.map((copy) => `${copy.share ?? 1} 1 0`);
  const width = geometry.width - geometry.margin.inner - geometry.margin.outer;
  const column = (width - geometry.gutter * (geometry.columns - 1)) / geometry.columns;
  return copies.map((copy) => {
    const size = geometry.headlineSize * 0.8;
    const headlineLines = Math.max(1, Math.ceil(([...copy.headline].length * size * MM_PER_PT * 1.05) / (width - 12)));
    const head =
      9 +
      headlineLines * size * 1.2 * MM_PER_PT +
      (copy.kicker ? 8 : 0) +
      (copy.deck ? 11 : 0) +
      (copy.byline ? 7 : 0) +
      (copy.photos > 0 ? column * geometry.portraitWidth * (4 / 3) * Math.ceil(copy.photos / geometry.columns) + 16 : 0);
    return `${Math.max(1, copy.chars)} 1 ${head.toFixed(1)}mm`;
  });
}

/** A rectangle on the page, in mm from its top left corner. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The CSS `flex` that gives the modules these depths (mm): the page's free depth is shared in their proportion. */
export function depthFlex(heights: number[]): string[] {
  return heights.map((height) => `${height.toFixed(3)} 1 0`);
}

/** Another split of a page's depth: each module's depth (mm), and the two modules the move changed (upper first). */
export interface DepthSplit {
  heights: number[];
  changed: [number, number];
}

/** Lines of body type a rule between two modules moves at most, nearest first. */
const RULE_MOVES = [1, -1, 2, -2, 3, -3];
/** The least part of its depth a module keeps when a rule moves. */
const KEEP_DEPTH = 0.7;

/**
 * The splits a desk would try when the modules at `failing` fill badly (their columns end unevenly,
 * or short of the foot): the rule under or over each moves by one, two, then three body lines
 * (`line`, mm), so the module and its neighbour trade depth and the rest of the page stays as it is.
 * None leaves a module less than KEEP_DEPTH of its depth.
 */
export function shiftedSplits(heights: number[], failing: number[], line: number): DepthSplit[] {
  const splits: DepthSplit[] = [];
  const seen = new Set<string>();
  for (const lines of RULE_MOVES) {
    for (const index of failing) {
      for (const neighbour of [index + 1, index - 1]) {
        const own = heights[index];
        const theirs = heights[neighbour];
        if (own === undefined || theirs === undefined) continue;
        const next = [...heights];
        next[index] = own + lines * line;
        next[neighbour] = theirs - lines * line;
        if (next[index]! < KEEP_DEPTH * own || next[neighbour]! < KEEP_DEPTH * theirs) continue;
        const key = next.map((height) => height.toFixed(3)).join();
        if (seen.has(key)) continue;
        seen.add(key);
        splits.push({ heights: next, changed: index < neighbour ? [index, neighbour] : [neighbour, index] });
      }
    }
  }
  return splits;
}

/** `boxes`, stacked down the page as they are, given the depths `heights`: each moves down by what the ones above it gained. */
export function restack(boxes: Box[], heights: number[]): Box[] {
  let moved = 0;
  return boxes.map((box, index) => {
    const height = heights[index] ?? box.height;
    const restacked = { ...box, y: box.y + moved, height };
    moved += height - box.height;
    return restacked;
  });
}

/** The edition's page: its preset and overrides, page 1 a front page with the masthead. */
export function editionPageGeometry(layout: LayoutOptions, front: boolean): PageGeometry {
  return pageGeometry({ ...layout, span: undefined, depth: 'page', masthead: front });
}

/**
 * The geometry of a module: a page the size of its box, no margins, the
 * edition's column grid and type; the headline scaled down for a shallow
 * module (a module half the type area deep or more keeps the preset's size).
 */
export function moduleGeometry(page: PageGeometry, box: Box, typeAreaHeight: number): PageGeometry {
  const depth = Math.min(1, box.height / (0.5 * typeAreaHeight));
  return {
    ...page,
    name: 'custom',
    width: box.width,
    height: box.height,
    margin: { top: 0, bottom: 0, inner: 0, outer: 0 },
    span: page.columns,
    depth: 'page',
    masthead: false,
    headlineSize: Math.round(page.headlineSize * (0.6 + 0.4 * depth)),
  };
}

export interface EditionPageInput {
  lang: string;
  title: string;
  head: RunningHead;
  geometry: PageGeometry;
  /** Each module's frame, as CSS flex values (moduleFlex). */
  flex: string[];
  assetUrl?: (path: string) => string;
}

/** The edition page's HTML: its furniture, and an empty frame for each module. */
export function renderEditionPage(template: Template, input: EditionPageInput): string {
  const page = pageShell(template, {
    lang: input.lang,
    title: input.title,
    head: input.head,
    geometry: input.geometry,
    css: geometryCss(input.geometry, input.geometry.bodySize.max),
    assetUrl: input.assetUrl ?? fileUrl,
    classes: ['edition-page'],
    typeArea: input.flex.map((flex, index) => h('div.module-frame', { dataModule: String(index + 1), style: `flex: ${flex}` })),
  });
  return unified().use(rehypeStringify).stringify(page);
}
