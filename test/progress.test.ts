// Progress off a terminal: one line per article done, and inside an article a
// line each time it reaches a new stage (layout, preflight, pdf, png, epub),
// repeated within a stage at most once per interval.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ArticleEvent, ArticleProgress } from '../src/publish/build.js';
import { createProgress, describeProgress } from '../src/publish/progress.js';

function capture(): { stream: Writable; lines: () => string[] } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  });
  return { stream, lines: () => text.split('\n').filter(Boolean) };
}

const name = (event: ArticleEvent) => (event.report ? `${event.source}: built` : event.source);
const step = (source: string, value: ArticleProgress): ArticleEvent => ({ index: 0, total: 2, done: 0, source, phase: 'progress', progress: value });

describe('progress in plain lines', () => {
  it('says each new stage of an article, repeats a stage only after the interval, and ends with the done line', () => {
    const { stream, lines } = capture();
    const progress = createProgress(stream, name, { interval: 60_000 });
    progress.onArticle({ index: 0, total: 2, done: 0, source: 'a.md', phase: 'start' });
    for (const value of [
      { stage: 'layout', trial: 1, pages: 1 },
      { stage: 'layout', trial: 1, pages: 2 },
      { stage: 'layout', trial: 2, pages: 1 },
      { stage: 'preflight', pages: 2 },
      { stage: 'pdf', pages: 2 },
      { stage: 'png', page: 1, pages: 2 },
      { stage: 'png', page: 2, pages: 2 },
      { stage: 'epub' },
    ] as const) {
      progress.onArticle(step('a.md', value));
    }
    // Another article's stages are its own.
    progress.onArticle(step('b.md', { stage: 'layout', trial: 1, pages: 1 }));
    progress.onArticle({ index: 0, total: 2, done: 1, source: 'a.md', phase: 'done', report: { ok: true } as ArticleEvent['report'] });
    expect(lines()).toEqual([
      '  a.md: layout, trial 1, 1 page',
      '  a.md: preflight, 2 pages',
      '  a.md: pdf, 2 pages',
      '  a.md: png, page 1 of 2',
      '  a.md: epub',
      '  b.md: layout, trial 1, 1 page',
      '[1/2] a.md: built',
    ]);
  });

  it('with no interval, says every step', () => {
    const { stream, lines } = capture();
    const progress = createProgress(stream, name, { interval: 0 });
    progress.onArticle(step('a.md', { stage: 'layout', trial: 1, pages: 1 }));
    progress.onArticle(step('a.md', { stage: 'layout', trial: 1, pages: 2 }));
    expect(lines()).toEqual(['  a.md: layout, trial 1, 1 page', '  a.md: layout, trial 1, 2 pages']);
  });

  it('names every stage in its words', () => {
    expect(describeProgress({ stage: 'png', page: 3, pages: 640 })).toBe('png, page 3 of 640');
    expect(describeProgress({ stage: 'layout', trial: 12, pages: 87 })).toBe('layout, trial 12, 87 pages');
  });
});
