// Images in the laid-out page: one that did not load (blocked, missing, not an
// image) is taken out before the copyfit, so no broken-image icon is printed;
// the rest are measured at their printed size for the preflight's ppi check.
import type { Page } from 'puppeteer';

export interface PrintedImage {
  /** The image's address as the page has it. */
  src: string;
  alt: string;
  loaded: boolean;
  /** Pixels of the image file (0 when it did not load). */
  pixels: { width: number; height: number };
  /** Printed box, in millimetres. */
  mm: { width: number; height: number };
  /** Effective resolution at the printed size: how many image pixels fall on each inch of paper. */
  ppi: number;
}

/** Under this, a photo prints soft: the usual floor for newsprint halftones. */
export const MIN_PPI = 200;

export async function hideBrokenImages(page: Page): Promise<void> {
  await page.$$eval('img', (images) => {
    for (const image of images) {
      if (image.complete && image.naturalWidth === 0) {
        image.dataset.broken = '';
        image.style.display = 'none';
      }
    }
  });
}

export async function measureImages(page: Page): Promise<PrintedImage[]> {
  return page.$$eval('img', (images) =>
    images.map((image) => {
      const box = image.getBoundingClientRect();
      const loaded = image.dataset.broken === undefined && image.naturalWidth > 0;
      const fit = getComputedStyle(image).objectFit;
      // CSS px are 1/96 in. `cover` and `fill` stretch the image over the box: the thinner axis decides.
      const perInch = (natural: number, printed: number) => (printed > 0 ? (natural / printed) * 96 : 0);
      const x = perInch(image.naturalWidth, box.width);
      const y = perInch(image.naturalHeight, box.height);
      const ppi = fit === 'contain' || fit === 'scale-down' ? Math.max(x, y) : Math.min(x, y);
      return {
        src: image.currentSrc || image.getAttribute('src') || '',
        alt: image.alt,
        loaded,
        pixels: { width: image.naturalWidth, height: image.naturalHeight },
        mm: { width: (box.width * 25.4) / 96, height: (box.height * 25.4) / 96 },
        ppi: Math.round(ppi),
      };
    }),
  );
}

/** Preflight items: images that did not load, and images that print under MIN_PPI. */
export function imageFaults(images: PrintedImage[]): string[] {
  const faults: string[] = [];
  for (const image of images) {
    const name = image.alt || decodeURIComponent(image.src.split('/').pop() ?? image.src);
    if (!image.loaded) {
      faults.push(`${name}: did not load, printed without it`);
    } else if (image.mm.width > 0 && image.ppi < MIN_PPI) {
      const needed = Math.ceil((image.pixels.width * MIN_PPI) / image.ppi);
      faults.push(
        `${name}: ${image.ppi} ppi at ${image.mm.width.toFixed(0)} × ${image.mm.height.toFixed(0)} mm (${image.pixels.width} × ${image.pixels.height} px); it prints soft — use a file of at least ${needed} px wide for ${MIN_PPI} ppi`,
      );
    }
  }
  return faults;
}
