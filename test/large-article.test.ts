// Above COPYFIT_MAX_CHARS the copyfit gives way to plain continuation at the
// preset's smallest size, and says so. (The 5 MB build itself is measured by
// bench/large-article.mjs, `npm run bench:large`: too slow for the suite.)
import { h } from 'hastscript';
import type { Root } from 'hast';
import { describe, expect, it } from 'vitest';
import { COPYFIT_MAX_CHARS, limitCopyfit } from '../src/layout/large-article.js';
import { pageGeometry, type PageGeometry } from '../src/layout/presets.js';
import { defaultArticleTimeoutMs } from '../src/publish/build.js';

const geometry: PageGeometry = pageGeometry('tabloid');
const doc = { html: '<html></html>', geometry, bodySize: geometry.bodySize.max };
const tree = (chars: number): Root => ({ type: 'root', children: [h('article', [h('p', '字'.repeat(chars))])] });

describe('large articles', () => {
  it(`keeps the copyfit up to ${COPYFIT_MAX_CHARS} characters`, () => {
    const result = limitCopyfit(doc, tree(COPYFIT_MAX_CHARS));
    expect(result.reason).toBeUndefined();
    expect(result.doc).toBe(doc);
    expect(result.chars).toBe(COPYFIT_MAX_CHARS);
  });

  it('sets a longer article at the smallest body size, and says why', () => {
    const result = limitCopyfit(doc, tree(COPYFIT_MAX_CHARS + 1));
    expect(result.doc.geometry.bodySize).toEqual({ min: 8.5, max: 8.5 });
    expect(result.reason).toBe(
      'the article has 200,001 characters, more than 200,000: the copyfit is skipped and the body is set at 8.5pt, running on over as many pages as it needs',
    );
    // The preset itself is untouched.
    expect(geometry.bodySize).toEqual({ min: 8.5, max: 10.5 });
  });

  it('gives a longer article more time: 180 s for every 200,000 characters or part of them', () => {
    expect(defaultArticleTimeoutMs(2_650)).toBe(180_000);
    expect(defaultArticleTimeoutMs(COPYFIT_MAX_CHARS)).toBe(180_000);
    expect(defaultArticleTimeoutMs(COPYFIT_MAX_CHARS + 1)).toBe(360_000);
    // The 5 MB article of bench/large-article.mjs: about 1.76 million characters.
    expect(defaultArticleTimeoutMs(1_760_000)).toBe(1_620_000);
  });
});
