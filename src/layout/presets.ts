// Page presets: trim size (portrait), margins, the column grid and the body
// type that a newspaper of that size sets, and what an article may override.
// Lengths in mm, type sizes in pt.
import type { LayoutOptions, PagePreset } from '../content/schema.js';

export interface PageGeometry {
  name: PagePreset | 'custom';
  width: number;
  height: number;
  margin: { top: number; bottom: number; inner: number; outer: number };
  /** Columns of the page's grid. */
  columns: number;
  /** Grid columns the article's body spans. */
  span: number;
  gutter: number;
  columnRule: boolean;
  /** Body type size, pt: the copyfit searches between min and max. */
  bodySize: { min: number; max: number };
  /** Line height as a multiple of the body size: the copyfit opens it up to max when a page is short. */
  leading: { min: number; max: number };
  /** 'page': the article fills the type area; 'fit': it takes the depth it needs. */
  depth: 'page' | 'fit';
  masthead: boolean;
  headlineSize: number;
  /** Width of a head shot as a share of its column. */
  portraitWidth: number;
}

type PresetValues = Omit<PageGeometry, 'span' | 'masthead'>;

/** What every preset shares unless it says otherwise: 小五–五号 body type, a 4.5 mm gutter. */
const COMMON = {
  gutter: 4.5,
  columnRule: true,
  bodySize: { min: 8.5, max: 10.5 },
  leading: { min: 1.6, max: 1.75 },
  depth: 'page',
  portraitWidth: 0.62,
} as const;

const margins = (top: number, bottom: number, side: number): PageGeometry['margin'] => ({ top, bottom, inner: side, outer: side });

export const PRESETS: Record<PagePreset, PresetValues> = {
  tabloid: { ...COMMON, name: 'tabloid', width: 270, height: 390, margin: margins(12, 14, 13), columns: 5, headlineSize: 40 },
  // 对开 on its 8-column grid holds several stories: one article is a module as deep as it needs.
  broadsheet: { ...COMMON, name: 'broadsheet', width: 390, height: 540, margin: margins(15, 18, 16), columns: 8, headlineSize: 54, depth: 'fit' },
  a3: { ...COMMON, name: 'a3', width: 297, height: 420, margin: margins(13, 15, 14), columns: 6, headlineSize: 42 },
  a4: { ...COMMON, name: 'a4', width: 210, height: 297, margin: margins(10, 12, 11), columns: 4, gutter: 4, headlineSize: 28, portraitWidth: 0.7 },
};

const asRange = (value: number | { min: number; max: number }) => (typeof value === 'number' ? { min: value, max: value } : value);

/** The preset with the paper's and the article's overrides applied. */
export function pageGeometry(layout: LayoutOptions = {}): PageGeometry {
  const base = PRESETS[layout.preset ?? 'tabloid'];
  const columns = layout.columns ?? base.columns;
  const custom = layout.width !== undefined && layout.height !== undefined;
  return {
    ...base,
    name: custom ? 'custom' : base.name,
    width: layout.width ?? base.width,
    height: layout.height ?? base.height,
    margin: layout.margin === undefined ? base.margin : typeof layout.margin === 'number' ? margins(layout.margin, layout.margin, layout.margin) : layout.margin,
    columns,
    span: Math.min(layout.span ?? columns, columns),
    gutter: layout.gutter ?? base.gutter,
    columnRule: layout.columnRule ?? base.columnRule,
    bodySize: layout.bodySize === undefined ? base.bodySize : asRange(layout.bodySize),
    leading: layout.leading === undefined ? base.leading : asRange(layout.leading),
    depth: layout.depth ?? base.depth,
    masthead: layout.masthead ?? false,
    // A custom page scales the headline with its width.
    headlineSize: custom ? Math.round((base.headlineSize * (layout.width ?? base.width)) / base.width) : base.headlineSize,
  };
}

/** The geometry as CSS: custom properties for page.css and the @page size. */
export function geometryCss(geometry: PageGeometry, bodySize: number, leading = geometry.leading.min): string {
  const { width, height, margin } = geometry;
  return [
    `@page { size: ${width}mm ${height}mm; margin: 0; }`,
    ':root {',
    `  --page-width: ${width}mm; --page-height: ${height}mm;`,
    `  --margin-top: ${margin.top}mm; --margin-bottom: ${margin.bottom}mm;`,
    `  --margin-inner: ${margin.inner}mm; --margin-outer: ${margin.outer}mm;`,
    `  --grid-columns: ${geometry.columns}; --columns: ${geometry.span}; --gutter: ${geometry.gutter}mm;`,
    `  --article-width: calc((100% + var(--gutter)) * ${geometry.span} / ${geometry.columns} - var(--gutter));`,
    `  --column-rule-width: ${geometry.columnRule ? '0.4pt' : '0'};`,
    `  --body-size: ${bodySize}pt; --leading: ${leading};`,
    `  --headline-size: ${geometry.headlineSize}pt; --portrait-width: ${geometry.portraitWidth * 100}%;`,
    '}',
  ].join('\n');
}
