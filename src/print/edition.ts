// An edition page in print: Chromium prints the page's furniture (报眉 or
// masthead, page foot, the rules between modules) and measures where each
// module's frame stands; each article is printed as a page the size of its
// module (printPage, unchanged); pdf-lib then places the module pages on the
// furniture page as form XObjects, so their text stays vector text in their
// own embedded fonts. The previews are composed the same way with sharp.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import type { Box, PageGeometry } from '../layout/index.js';
import type { BrowserSession } from './browser-session.js';
import { finishPdf, type PdfMetadata } from './pdf-metadata.js';
import { PT_PER_MM, PX_PER_MM } from '../layout/units.js';
import { openPrintPage } from './index.js';
import type { BlockedRequest } from './request-guard.js';

export interface FurnitureOptions {
  workDir: string;
  /** Folders (besides workDir) the page may read from: templates, fonts. */
  allowedRoots: string[];
  /** Name of the HTML file in workDir. */
  name: string;
  previewScale: number;
  timeoutMs?: number;
}

export interface FurniturePrint {
  /** The page with its furniture and empty frames, as Chromium printed it. */
  pdf: Uint8Array;
  png: Uint8Array;
  /** Each module frame's content box, in mm from the page's top left corner. */
  frames: Box[];
  /** The type area's box, in mm. */
  typeArea: Box;
  blocked: BlockedRequest[];
}

export async function printFurniture(session: BrowserSession, html: string, geometry: PageGeometry, options: FurnitureOptions): Promise<FurniturePrint> {
  const htmlPath = join(options.workDir, options.name);
  await writeFile(htmlPath, html);
  return session.withPage(
    async (page) => {
      const opened = await openPrintPage(page, { path: htmlPath, html }, {
        roots: [options.workDir, ...options.allowedRoots],
        viewport: { width: Math.ceil(geometry.width * PX_PER_MM), height: Math.ceil(geometry.height * PX_PER_MM), deviceScaleFactor: options.previewScale },
      });
      try {
        const measured = await page.evaluate(() => {
          const sheet = document.querySelector('.page');
          if (!sheet) throw new Error('the edition page has no .page');
          const origin = sheet.getBoundingClientRect();
          const box = (element: Element) => {
            const rect = element.getBoundingClientRect();
            const style = getComputedStyle(element);
            const top = parseFloat(style.borderTopWidth) + parseFloat(style.paddingTop);
            const bottom = parseFloat(style.borderBottomWidth) + parseFloat(style.paddingBottom);
            return { x: rect.left - origin.left, y: rect.top - origin.top + top, width: rect.width, height: rect.height - top - bottom };
          };
          const area = document.querySelector('.type-area');
          return {
            frames: [...document.querySelectorAll('.module-frame')].map(box),
            typeArea: area ? box(area) : { x: 0, y: 0, width: origin.width, height: origin.height },
            page: { x: origin.left + window.scrollX, y: origin.top + window.scrollY, width: origin.width, height: origin.height },
          };
        });
        const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
        const png = await session.inFront(page, () => page.screenshot({ type: 'png', clip: measured.page, captureBeyondViewport: true }));
        const mm = (rect: Box): Box => ({ x: rect.x / PX_PER_MM, y: rect.y / PX_PER_MM, width: rect.width / PX_PER_MM, height: rect.height / PX_PER_MM });
        return { pdf, png, frames: measured.frames.map(mm), typeArea: mm(measured.typeArea), blocked: opened.blocked };
      } finally {
        await opened.release();
      }
    },
    { timeoutMs: options.timeoutMs },
  );
}

export interface PlacedModule {
  /** The article printed as a one-page PDF the size of its box. */
  pdf: Uint8Array;
  /** Its page-1 preview, at the furniture's preview scale. */
  png: Uint8Array;
  box: Box;
}

export interface ComposedPage {
  furniture: FurniturePrint;
  modules: PlacedModule[];
}

/**
 * One PDF of the edition: each furniture page with its modules drawn in their
 * frames, then the metadata, XMP and document ID of any presswork PDF. The
 * same pages give the same bytes: nothing here reads the clock.
 */
export async function composeEditionPdf(pages: ComposedPage[], metadata: PdfMetadata): Promise<{ pdf: Uint8Array; pages: number }> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  for (const { furniture, modules } of pages) {
    const source = await PDFDocument.load(furniture.pdf, { updateMetadata: false });
    const [sheet] = await doc.copyPages(source, [0]);
    if (!sheet) throw new Error('the furniture page printed no page');
    doc.addPage(sheet);
    const { height } = sheet.getSize();
    for (const placed of modules) {
      const [embedded] = await doc.embedPdf(placed.pdf, [0]);
      if (!embedded) throw new Error('a module printed no page');
      // pdf-lib measures from the bottom left; the box from the top left.
      sheet.drawPage(embedded, { x: placed.box.x * PT_PER_MM, y: height - placed.box.y * PT_PER_MM - embedded.height });
    }
  }
  return finishPdf(await doc.save({ useObjectStreams: false }), metadata);
}

/** The page's preview: the furniture's render with each module's render laid in its frame. */
export async function composeEditionPng(page: ComposedPage, previewScale: number): Promise<Uint8Array> {
  const base = sharp(page.furniture.png);
  const { width = 0, height = 0 } = await base.metadata();
  const layers = await Promise.all(
    page.modules.map(async (placed) => {
      const left = Math.round(placed.box.x * PX_PER_MM * previewScale);
      const top = Math.round(placed.box.y * PX_PER_MM * previewScale);
      const image = sharp(placed.png);
      const size = await image.metadata();
      // Rounding can make a module a pixel larger than the room left on the page.
      const fit = { width: Math.min(size.width ?? 0, width - left), height: Math.min(size.height ?? 0, height - top) };
      const input = fit.width === size.width && fit.height === size.height ? placed.png : await image.extract({ left: 0, top: 0, ...fit }).png().toBuffer();
      return { input: Buffer.from(input), left, top };
    }),
  );
  return new Uint8Array(await base.composite(layers).png().toBuffer());
}
