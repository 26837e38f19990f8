// Page presets: trim size (portrait), margins, the column grid and the body
// type that a newspaper of that size sets. Lengths in mm, type sizes in pt.
import type { PagePreset } from '../content/schema.js';

export interface PageGeometry {
  name: PagePreset;
  width: number;
  height: number;
  margin: { top: number; bottom: number; inner: number; outer: number };
  columns: number;
  gutter: number;
  /** Body type size, pt: the copyfit searches between min and max. */
  bodySize: { min: number; max: number };
  /** Line height as a multiple of the body size. */
  leading: number;
  headlineSize: number;
  /** Width of a head shot as a share of its column. */
  portraitWidth: number;
}

/** What every preset shares unless it says otherwise: 小五–五号 body type, a 4.5 mm gutter. */
const COMMON = { gutter: 4.5, bodySize: { min: 8.5, max: 10.5 }, leading: 1.6, portraitWidth: 0.62 } as const;

type Margins = PageGeometry['margin'];
const margins = (top: number, bottom: number, side: number): Margins => ({ top, bottom, inner: side, outer: side });

export const PRESETS: Record<PagePreset, PageGeometry> = {
  tabloid: { ...COMMON, name: 'tabloid', width: 270, height: 390, margin: margins(12, 14, 13), columns: 5, headlineSize: 40 },
  broadsheet: { ...COMMON, name: 'broadsheet', width: 390, height: 540, margin: margins(15, 18, 16), columns: 8, headlineSize: 54 },
  a3: { ...COMMON, name: 'a3', width: 297, height: 420, margin: margins(13, 15, 14), columns: 6, headlineSize: 42 },
  a4: { ...COMMON, name: 'a4', width: 210, height: 297, margin: margins(10, 12, 11), columns: 4, gutter: 4, headlineSize: 28, portraitWidth: 0.7 },
};

export function pageGeometry(preset: PagePreset = 'tabloid', columns?: number): PageGeometry {
  const base = PRESETS[preset];
  return columns ? { ...base, columns } : base;
}

/** The geometry as CSS: custom properties for page.css and the @page size. */
export function geometryCss(geometry: PageGeometry, bodySize: number): string {
  const { width, height, margin } = geometry;
  return [
    `@page { size: ${width}mm ${height}mm; margin: 0; }`,
    ':root {',
    `  --page-width: ${width}mm; --page-height: ${height}mm;`,
    `  --margin-top: ${margin.top}mm; --margin-bottom: ${margin.bottom}mm;`,
    `  --margin-inner: ${margin.inner}mm; --margin-outer: ${margin.outer}mm;`,
    `  --columns: ${geometry.columns}; --gutter: ${geometry.gutter}mm;`,
    `  --body-size: ${bodySize}pt; --leading: ${geometry.leading};`,
    `  --headline-size: ${geometry.headlineSize}pt; --portrait-width: ${geometry.portraitWidth * 100}%;`,
    '}',
  ].join('\n');
}
