// Copyfit: the settings at which the article fills its page(s). Within the
// preset's bounds it looks for the fewest pages the article can take, then
// the largest body type that still fits them (so the last page fills too),
// then opens the leading if a page is still short. Every trial is a layout
// of the page in the browser, never a trial print.
import type { Page } from 'puppeteer';
import type { FolioNumbering, LayoutMeasure, LayoutSettings, PageMeasure, PageStart } from './page-script.js';

export interface FitBounds {
  bodySize: { min: number; max: number };
  leading: { min: number; max: number };
  folio: FolioNumbering;
  maxPages: number;
}

export interface FitResult {
  bodySize: number;
  leading: number;
  iterations: number;
  pages: PageMeasure[];
  pageStarts: PageStart[];
  /** Some page still has text outside its body box. */
  overflows: boolean;
  /** The least-filled page's fill. */
  fill: number;
}

/** The last line lands within 3 % of the bottom of the type area. */
export const FILL_TARGET = 0.97;
/** Steps of the search: the type sizes a desk would set (pt), and leading in hundredths. */
const SIZE_STEP = 0.05;
const LEADING_STEP = 0.01;
/** How far the refinement looks around the best fit: body sizes below it, leadings below the widest that fits. */
const REFINE_SIZES = 4;
/** Where the refinement aims the last line: just above the foot, inside the 3 % target. */
const AIM = 0.99;
/** The leading step of the slope probe. */
const PROBE = 0.05;
/** Layouts one article may try; each costs a layout of the whole article in the browser. */
const MAX_TRIALS = 60;

/** `onTrial` hears the number of each layout as it starts. */
export async function fitBody(page: Page, bounds: FitBounds, onTrial: (trial: number) => void = () => undefined): Promise<FitResult> {
  let iterations = 0;
  // Every layout's measure, by its settings: the search comes back to settings it tried (the binary
  // search's last size, the refinement's start), and a layout costs a reflow of the whole article.
  const measured = new Map<string, FitResult>();
  /** The settings the page is laid out at now: what the print will print. */
  let shown = '';
  const keyOf = (bodySize: number, leading: number) => `${bodySize}/${leading}`;
  const layOut = async (bodySize: number, leading: number): Promise<FitResult> => {
    iterations++;
    onTrial(iterations);
    const settings: LayoutSettings = { bodySize, leading, folio: bounds.folio, maxPages: bounds.maxPages, trial: iterations };
    const measure: LayoutMeasure = await page.evaluate((s) => window.presswork.layout(s), settings);
    shown = keyOf(bodySize, leading);
    const result = {
      bodySize,
      leading,
      iterations,
      ...measure,
      overflows: measure.pages.some((p) => p.overflows),
      fill: Math.min(...measure.pages.map((p) => p.fill)),
    };
    measured.set(shown, result);
    return result;
  };
  const layoutAt = async (bodySize: number, leading: number): Promise<FitResult> => measured.get(keyOf(bodySize, leading)) ?? layOut(bodySize, leading);
  /** The answer: the page laid out at its settings again if a later trial changed it. */
  const show = async (result: FitResult): Promise<FitResult> =>
    shown === keyOf(result.bodySize, result.leading) ? { ...result, iterations } : { ...(await layOut(result.bodySize, result.leading)), iterations };
  const { bodySize, leading } = bounds;

  let best = await layoutAt(bodySize.max, leading.min);
  // Nothing to choose (a fixed size and leading, as for a very long article): one layout is the answer.
  if (bodySize.min === bodySize.max && leading.min === leading.max) return show(best);
  if (best.pages.length > 1 || best.overflows) {
    // The fewest pages it can take is what it takes at the smallest type.
    const smallest = await layoutAt(bodySize.min, leading.min);
    const pages = smallest.pages.length;
    if (smallest.overflows) return show(smallest);
    if (best.pages.length > pages || best.overflows) {
      const size = await largest(bodySize.min, bodySize.max, SIZE_STEP, async (value) => fits(await layoutAt(value, leading.min), pages));
      best = await layoutAt(size, leading.min);
    }
  }
  if (good(best)) return show(best);

  // The last page is short or its columns end unevenly: at the best size and a few steps
  // below it, open the leading to the value that should fill the last page, and try the
  // leadings next to it, until every page is full and its columns end flush.
  const tried: FitResult[] = [best];
  const refine = async (start: FitResult, pages: number): Promise<FitResult | undefined> => {
    for (let step = 0; step <= REFINE_SIZES && iterations < MAX_TRIALS; step++) {
      const size = round(start.bodySize - step * SIZE_STEP);
      if (size < bodySize.min) break;
      const base = step === 0 ? start : await layoutAt(size, leading.min);
      if (!fits(base, pages)) continue;
      tried.push(base);
      if (good(base)) return base;
      // The last page's fill grows with the leading, about linearly: aim by the slope between two trials.
      const probe = await layoutAt(size, round(Math.min(leading.max, base.leading + PROBE)));
      if (fits(probe, pages)) {
        tried.push(probe);
        if (good(probe)) return probe;
      }
      const slope = (lastPage(probe).fill - lastPage(base).fill) / (probe.leading - base.leading);
      const aim = slope > 0 && fits(probe, pages) ? base.leading + (AIM - lastPage(base).fill) / slope : leading.max;
      const predicted = round(Math.round(aim / LEADING_STEP) * LEADING_STEP);
      for (const offset of [0, -1, 1, -2, 2]) {
        const value = round(predicted + offset * LEADING_STEP);
        if (value < leading.min || value > leading.max || value === base.leading || iterations >= MAX_TRIALS) continue;
        const trial = await layoutAt(size, value);
        if (!fits(trial, pages)) continue;
        tried.push(trial);
        if (good(trial)) return trial;
      }
    }
    return undefined;
  };
  const pages = best.pages.length;
  const flush = await refine(best, pages);
  if (flush) return show(flush);
  if (pages > 1 && pages < bounds.maxPages && iterations < MAX_TRIALS) {
    // A keep-together rule can leave the fewest pages unfillable: one more page, at larger type.
    const size = await largest(best.bodySize, bodySize.max, SIZE_STEP, async (value) => fits(await layoutAt(value, leading.min), pages + 1));
    const start = await layoutAt(size, leading.min);
    if (fits(start, pages + 1) && start.pages.length === pages + 1) {
      const more = await refine(start, pages + 1);
      if (more) return show(more);
    }
  }
  // None ends flush: the fewest pages, the evenest columns, then the fullest page.
  const rank = (x: FitResult) => [x.pages.length, lastPage(x).fill >= FILL_TARGET ? 0 : 1, lastPage(x).columnBalance, -lastPage(x).fill];
  const chosen = tried.filter((x) => !x.overflows).sort((x, y) => compare(rank(x), rank(y)))[0] ?? best;
  return show(chosen);
}

function compare(x: number[], y: number[]): number {
  for (let index = 0; index < x.length; index++) {
    const difference = (x[index] ?? 0) - (y[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

const lastPage = (result: FitResult): PageMeasure => result.pages.at(-1)!;

/** Every page full to within 3 % and its columns ending within one line of each other. */
function good(result: FitResult): boolean {
  return !result.overflows && result.pages.every((page) => page.fill >= FILL_TARGET && page.columnBalance <= 1);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function fits(result: FitResult, pages: number): boolean {
  return !result.overflows && result.pages.length <= pages;
}

/** The largest step value in [min, max] for which `ok` holds, given that it holds at min and is monotone. */
async function largest(min: number, max: number, step: number, ok: (value: number) => Promise<boolean>): Promise<number> {
  const at = (index: number) => round(min + index * step);
  let low = 0;
  let high = Math.round((max - min) / step);
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (await ok(at(mid))) low = mid;
    else high = mid - 1;
  }
  return at(low);
}
