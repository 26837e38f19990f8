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
  // Nothing to choose (a fixed size and leading, as for a very long article): only the last page's width can level its columns.
  const fixed = bounds.bodySize.min === bounds.bodySize.max && bounds.leading.min === bounds.leading.max;
  const layOut = async (bodySize: number, leading: number): Promise<FitResult> => {
    iterations++;
    onTrial(iterations);
    const settings: LayoutSettings = { bodySize, leading, folio: bounds.folio, maxPages: bounds.maxPages, trial: iterations, narrowLastPage: fixed };
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
  // Nothing to choose: one layout is the answer.
  if (fixed) return show(best);
  if (best.pages.length > 1 || best.overflows) {
    // The fewest pages it can take is what it takes at the smallest type.
    const smallest = await layoutAt(bodySize.min, leading.min);
    const pages = smallest.pages.length;
    if (smallest.overflows) return show(smallest);
    if (best.pages.length > pages || best.overflows) best = await largestFitting(smallest, best, bodySize.max, pages, (value) => layoutAt(value, leading.min));
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
    const start = await largestFitting(best, undefined, bodySize.max, pages + 1, (value) => layoutAt(value, leading.min));
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

/**
 * The largest body size, in SIZE_STEPs from `low`'s up to `max`, at which the article fits `pages` pages;
 * it fits at `low`, and not at `high` when that is given. A bisection guided by how much the article
 * fills: that grows about as a fixed part (headline, photos) plus a part with the square of the body
 * size, so the sizes that fitted predict the one that just fills the pages, and the search tries there.
 * Each guess stays inside the bracket, and three guesses in a row that do not halve it are followed by a
 * halving, so under monotony this finds what a plain bisection finds, in fewer layouts.
 */
async function largestFitting(
  low: FitResult,
  high: FitResult | undefined,
  max: number,
  pages: number,
  layoutAt: (bodySize: number) => Promise<FitResult>,
): Promise<FitResult> {
  const min = low.bodySize;
  const at = (index: number) => round(min + index * SIZE_STEP);
  const indexOf = (size: number) => Math.round((size - min) / SIZE_STEP);
  const fitted = [low];
  let fitting = 0;
  // The first index known not to fit: past `max` when nothing says `max` does not.
  let failing = high ? indexOf(high.bodySize) : indexOf(max) + 1;
  // Guesses in a row that did not halve the bracket: after three, a halving.
  let slow = 0;
  while (fitting + 1 < failing) {
    const width = failing - fitting;
    const predicted: number | undefined = slow >= 3 ? undefined : predictedSize(fitted, pages);
    const guess: number | undefined = predicted === undefined ? undefined : Math.floor((predicted - min) / SIZE_STEP + 1e-9);
    const index = Math.min(failing - 1, Math.max(fitting + 1, guess ?? Math.ceil((fitting + failing - 1) / 2)));
    const result = await layoutAt(at(index));
    if (fits(result, pages)) {
      fitting = index;
      fitted.push(result);
    } else failing = index;
    slow = guess !== undefined && failing - fitting > width / 2 ? slow + 1 : 0;
  }
  return fitted.at(-1) ?? low;
}

/**
 * The body size at which the article would just fill `pages` pages (its last line a hair above the foot),
 * by the fill of the sizes that fitted: through the smallest and the largest (far apart, so a line more or
 * less matters little), fill = fixed + k · size²; from one, on one page, fill ∝ size², which aims low (the
 * fixed part does not grow), so that guess should fit and the next one close in. Over several pages one
 * size says too little (the first page's headline and photos weigh on the sum): the search halves first.
 */
function predictedSize(fitted: FitResult[], pages: number): number | undefined {
  const filled = (result: FitResult) => result.pages.length - 1 + lastPage(result).fill;
  const target = pages - 1 + AIM;
  const sorted = [...fitted].sort((a, b) => b.bodySize - a.bodySize);
  const [upper, lower] = [sorted[0], sorted.at(-1)];
  if (!upper || filled(upper) <= 0) return undefined;
  if (!lower || lower.bodySize === upper.bodySize) return pages === 1 ? upper.bodySize * Math.sqrt(target / filled(upper)) : undefined;
  const perSquare = (filled(upper) - filled(lower)) / (upper.bodySize ** 2 - lower.bodySize ** 2);
  if (!(perSquare > 0)) return undefined;
  const square = (target - filled(upper)) / perSquare + upper.bodySize ** 2;
  return square > 0 ? Math.sqrt(square) : undefined;
}
