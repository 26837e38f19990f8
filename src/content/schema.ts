// One schema per edge of the program: the article's front matter and the
// project config. The schemas give both the validation and the types.
import { z } from 'zod';
import { UNPRINTABLE } from './decode.js';

export const PAGE_PRESETS = ['tabloid', 'broadsheet', 'a3', 'a4'] as const;
export type PagePreset = (typeof PAGE_PRESETS)[number];

// The file's text is checked for control characters as it is read; a quoted YAML escape ("\x01", "\b")
// makes one only when the value is parsed, and an EPUB cannot store it.
export const text = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .refine((value) => !UNPRINTABLE.test(value), 'holds a control character or a noncharacter (a YAML escape such as "\\x01" or "\\b" in quotes), which cannot be printed or stored in the EPUB; delete the escape');

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), {
    message: 'is not a real calendar date',
  });

export const photoSchema = z.strictObject({
  src: text.optional(),
  caption: text,
  credit: text.optional(),
  name: text.optional(),
});

const mm = z.number().positive().max(2000);
const range = (min: number, max: number) =>
  z.union([
    z.number().min(min).max(max),
    z
      .strictObject({ min: z.number().min(min).max(max), max: z.number().min(min).max(max) })
      .refine((value) => value.min <= value.max, { message: 'min must not be larger than max' }),
  ]);

/** The page preset and what an article or the paper overrides of it. */
export const layoutSchema = z
  .strictObject({
    preset: z.enum(PAGE_PRESETS).optional(),
    /** Trim size in mm (custom paper). */
    width: mm.optional(),
    height: mm.optional(),
    /** Columns of the page's grid. */
    columns: z.number().int().min(1).max(12).optional(),
    /** Grid columns the article spans (default: all). */
    span: z.number().int().min(1).max(12).optional(),
    margin: z.union([mm, z.strictObject({ top: mm, bottom: mm, inner: mm, outer: mm })]).optional(),
    gutter: mm.optional(),
    columnRule: z.boolean().optional(),
    /** Body type in pt: one size, or the range the copyfit may choose from. */
    bodySize: range(5, 24).optional(),
    /** Line height as a multiple of the body size: one value or a range. */
    leading: range(1, 3).optional(),
    /** 'page': the article fills the type area; 'fit': it takes the depth it needs (a module on a big page). */
    depth: z.enum(['page', 'fit']).optional(),
    /** Page 1 carries the masthead (报头): a front page. */
    masthead: z.boolean().optional(),
  })
  .refine((value) => (value.width === undefined) === (value.height === undefined), {
    message: 'a custom page size needs both `width` and `height` (mm)',
  })
  .refine((value) => value.span === undefined || value.columns === undefined || value.span <= value.columns, {
    message: '`span` must not be larger than `columns`',
  });

/** An output folder's and its files' name (an article's or an edition's). */
export const slug = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lower-case ASCII letters, digits, ".", "_" or "-"');

/** 版次: a number (3) or a label (A03). */
export const pageNumber = z.union([z.number().int().positive(), text]);

export const frontMatterSchema = z.strictObject({
  headline: text,
  kicker: text.optional(),
  deck: text.optional(),
  byline: text.optional(),
  authors: z.array(text).optional(),
  date: isoDate.optional(),
  paper: text.optional(),
  section: text.optional(),
  page: pageNumber.optional(),
  lang: text.default('zh-CN'),
  slug: slug.optional(),
  photos: z.array(photoSchema).optional(),
  layout: layoutSchema.optional(),
});

export type FrontMatter = z.infer<typeof frontMatterSchema>;

/** 副题 as a summary (PDF Subject, EPUB description): without its leading dashes. */
export function deckSummary(deck: string): string {
  return deck.replace(/^[\s—―─–-]+/u, '').trim();
}
export type Photo = z.infer<typeof photoSchema>;
export type LayoutOptions = z.infer<typeof layoutSchema>;

/** `presswork.config.yml`: the paper's own values, used where an article names none. */
export const configSchema = z.strictObject({
  /** True while the values are placeholders; the archive must not trust them. */
  sample: z.boolean().default(false),
  paper: text.optional(),
  date: isoDate.optional(),
  page: pageNumber.optional(),
  section: text.optional(),
  layout: layoutSchema.optional(),
});

export type ProjectConfig = z.infer<typeof configSchema>;
