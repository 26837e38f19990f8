// A very long article (a wire-service dump, a whole report) is not copyfitted:
// each trial size would lay the whole text out again, minutes per try. Above
// a limit it is set at the preset's smallest body size and runs on over as
// many pages as it needs.
import type { Root } from 'hast';
import { toText } from 'hast-util-to-text';
import type { PageDocument } from './index.js';

/** About 75 tabloid pages of body text at 8.5 pt; the seed has 2,650 characters. */
export const COPYFIT_MAX_CHARS = 200_000;

/** The page document to print, the reason when the copyfit was turned off, and the article's length in characters. */
export function limitCopyfit(doc: PageDocument, tree: Root): { doc: PageDocument; reason?: string; chars: number } {
  const chars = toText(tree).length;
  if (chars <= COPYFIT_MAX_CHARS) return { doc, chars };
  const size = doc.geometry.bodySize.min;
  return {
    doc: { ...doc, geometry: { ...doc.geometry, bodySize: { min: size, max: size }, leading: { min: doc.geometry.leading.min, max: doc.geometry.leading.min } } },
    chars,
    reason: `the article has ${chars.toLocaleString('en')} characters, more than ${COPYFIT_MAX_CHARS.toLocaleString('en')}: the copyfit is skipped and the body is set at ${size}pt, running on over as many pages as it needs`,
  };
}
