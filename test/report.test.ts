// What the desk and CI read of the preflight besides the manifest: the fault
// lines printed at the end of a build, and the JUnit XML's preflight suite.
import { describe, expect, it } from 'vitest';
import { CHECK_NAMES, type Check, type Preflight } from '../src/print/preflight.js';
import { junitXml } from '../src/publish/junit.js';
import { preflightReport } from '../src/publish/preflight-report.js';
import type { ArticleReport } from '../src/publish/build.js';

const passed: Check = { ok: true, count: 0, items: [] };
const failed = (...messages: string[]): Check => ({ ok: false, count: messages.length, items: messages.map((message) => ({ message, page: 1 })) });

function article(source: string, checks: Partial<Record<(typeof CHECK_NAMES)[number], Check>>, ok = true): ArticleReport {
  const all = Object.fromEntries(CHECK_NAMES.map((name) => [name, checks[name] ?? passed])) as Record<(typeof CHECK_NAMES)[number], Check>;
  const preflight: Preflight = {
    ok: CHECK_NAMES.every((name) => all[name].ok),
    pages: 1,
    fill: 0.44,
    bodySize: 10.5,
    leading: 1.6,
    copyfitIterations: 3,
    lines: 40,
    perPage: [],
    ...all,
  };
  return { source, slug: source.split('/').pop()!.replace(/\.md$/, ''), ok, outputs: {}, messages: [], preflight } as unknown as ArticleReport;
}

const kinsoku = ['line starts with “。”: 。工会', 'line starts with “，”: ，职工', 'line ends with “（”: 服务（', 'line starts with “、”: 、改革', 'line starts with “！”: ！好'];
const short = 'page 1 is 44 % full: its last line ends 167 mm above the type area\'s foot — add text, a photo, or choose a smaller preset';
const articles = [article('news/fine.md', {}), article('news/short.md', { kinsoku: failed(...kinsoku), underfill: failed(short) }), article('news/broken.md', { underfill: failed(short) }, false)];

describe('the preflight report at the end of a build', () => {
  it('names each article whose preflight failed and what failed, a few faults per check and a count of the rest', () => {
    expect(preflightReport(articles)).toEqual([
      'preflight: 1 of 3 articles with faults to fix before press',
      '  news/short.md',
      `    kinsoku: ${kinsoku[0]}`,
      `    kinsoku: ${kinsoku[1]}`,
      `    kinsoku: ${kinsoku[2]}`,
      '    kinsoku: … and 2 more',
      `    underfill: ${short}`,
    ]);
  });

  it('says nothing when every preflight passed (an article that failed to build has its own error)', () => {
    expect(preflightReport([articles[0]!, articles[2]!])).toEqual([]);
  });
});

describe('the JUnit XML preflight suite', () => {
  it('has a case for every check of every printed article, each failure with its faults\' messages', () => {
    const strict = junitXml(articles, { strict: true });
    expect(strict.match(/classname="presswork\.preflight\.short"/g)).toHaveLength(CHECK_NAMES.length);
    expect(strict).toMatch(/<testsuite name="preflight" tests="24" failures="3"/);
    expect(strict).toContain(`<failure message="underfill: 1" type="underfill">${short}</failure>`);
    expect(strict).toContain(`<failure message="kinsoku: 5" type="kinsoku">${kinsoku.join('\n')}</failure>`);
    expect(strict).not.toContain('[object Object]');
    // Without --strict the faults are reported, not failed.
    const lenient = junitXml(articles);
    expect(lenient).toMatch(/<testsuite name="preflight" tests="24" failures="0"/);
    expect(lenient).toContain(`<system-err>underfill: 1\n${short}</system-err>`);
  });
});
