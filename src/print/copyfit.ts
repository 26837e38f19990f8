// Copyfit: the largest body size within the preset's bounds at which the
// body's balanced columns still fit the page. Measured in the laid-out page,
// never by printing a trial PDF.
import type { Page } from 'puppeteer';

export interface BodyMeasure {
  /** The body overflows its box (extra columns or clipped lines). */
  overflows: boolean;
  /** Share of the body box's height that its tallest column uses. */
  fill: number;
}

export interface FitResult extends BodyMeasure {
  bodySize: number;
  iterations: number;
}

/** Step of the search: the type sizes a desk would set, in pt. */
const STEP = 0.05;

export async function fitBody(page: Page, bounds: { min: number; max: number }): Promise<FitResult> {
  let iterations = 0;
  const measureAt = async (size: number): Promise<BodyMeasure> => {
    iterations++;
    return page.evaluate(measureBody, size);
  };

  const largest = await measureAt(bounds.max);
  if (!largest.overflows) return { bodySize: bounds.max, iterations, ...largest };

  // Binary search over the steps of [min, max): overflow is monotone in the size.
  let low = 0;
  let high = Math.round((bounds.max - bounds.min) / STEP);
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    const size = round(bounds.min + mid * STEP);
    if ((await measureAt(size)).overflows) high = mid - 1;
    else low = mid;
  }
  const best = round(bounds.min + low * STEP);
  return { bodySize: best, iterations, ...(await measureAt(best)) };
}

function round(size: number): number {
  return Math.round(size * 100) / 100;
}

/** Runs in the page: sets the body size, then measures the body columns. */
function measureBody(size: number): BodyMeasure {
  document.documentElement.style.setProperty('--body-size', `${size}pt`);
  const body = document.querySelector<HTMLElement>('.article-body');
  if (!body) return { overflows: false, fill: 0 };
  const box = body.getBoundingClientRect();
  const overflows = body.scrollWidth > body.clientWidth + 1 || body.scrollHeight > body.clientHeight + 1;
  let bottom = box.top;
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) bottom = Math.max(bottom, rect.bottom);
  }
  return { overflows, fill: box.height > 0 ? (bottom - box.top) / box.height : 0 };
}
