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

export const PRESETS: Record<PagePreset, PageGeometry> = {
  tabloid: {
    name: 'tabloid', width: 270, height: 390,
    margin: { top: 12, bottom: 14, inner: 13, outer: 13 },
    columns: 5, gutter: 4.5,
    bodySize: { min: 8.5, max: 10.5 }, leading: 1.6,
    headlineSize: 40, portraitWidth: 0.62,
  },
  broadsheet: {
    name: 'broadsheet', width: 390, height: 540,
    margin: { top: 15, bottom: 18, inner: 16, outer: 16 },
    columns: 8, gutter: 4.5,
    bodySize: { min: 8.5, max: 10.5 }, leading: 1.6,
    headlineSize: 54, portraitWidth: 0.62,
  },
  a3: {
    name: 'a3', width: 297, height: 420,
    margin: { top: 13, bottom: 15, inner: 14, outer: 14 },
    columns: 6, gutter: 4.5,
    bodySize: { min: 8.5, max: 10.5 }, leading: 1.6,
    headlineSize: 42, portraitWidth: 0.62,
  },
  a4: {
    name: 'a4', width: 210, height: 297,
    margin: { top: 10, bottom: 12, inner: 11, outer: 11 },
    columns: 4, gutter: 4,
    bodySize: { min: 8.5, max: 10.5 }, leading: 1.6,
    headlineSize: 28, portraitWidth: 0.7,
  },
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
