// The incremental build's key: it must change with every input that changes
// an article's bytes (source, its images, template, config, options), and
// only with those.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArticle, loadConfig } from '../src/content/load.js';
import { loadTemplate, TEMPLATES_DIR } from '../src/layout/index.js';
import { build, type BuildReport } from '../src/publish/build.js';
import { articleKey, buildFingerprint, reusable, type BuildFingerprintInput } from '../src/publish/cache.js';
import { shortArticle } from './support/articles.js';

let dir: string;
const article = (photo: string) => `---\nheadline: 标题\nphotos:\n  - name: 甲\n    caption: 说明\n    src: ${photo}\n---\n\n正文。\n\n![图](inline.png)\n`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'presswork-cache-'));
  cpSync(TEMPLATES_DIR, join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'a.md'), article('photo.jpg'));
  writeFileSync(join(dir, 'photo.jpg'), 'first photo');
  writeFileSync(join(dir, 'inline.png'), 'inline image');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the cache key', () => {
  const fingerprint = (overrides: Partial<BuildFingerprintInput> = {}) =>
    buildFingerprint({
      cwd: dir,
      template: loadTemplate('newspaper', join(dir, 'templates')),
      formats: ['pdf', 'epub'],
      sourceDateEpoch: undefined,
      ...overrides,
    });
  const key = async (print = fingerprint()) => articleKey(print, await loadArticle(join(dir, 'a.md'), loadConfig(dir)));

  it('is the same for the same inputs, and ignores the order of --format', async () => {
    expect(await key()).toBe(await key());
    expect(fingerprint({ formats: ['epub', 'pdf'] })).toBe(fingerprint({ formats: ['pdf', 'epub'] }));
  });

  it('changes with the source, its photo, an inline image, the template, the config, the formats and SOURCE_DATE_EPOCH', async () => {
    const seen = new Set([await key()]);
    const changed = async (what: string, change: () => void, print?: () => string) => {
      change();
      const next = await key(print?.());
      expect(seen.has(next), what).toBe(false);
      seen.add(next);
    };
    await changed('source', () => writeFileSync(join(dir, 'a.md'), article('photo.jpg').replace('正文', '正文二')));
    await changed('photo bytes', () => writeFileSync(join(dir, 'photo.jpg'), 'second photo'));
    await changed('inline image', () => writeFileSync(join(dir, 'inline.png'), 'other image'));
    await changed('template css', () => writeFileSync(join(dir, 'templates/newspaper/page.css'), `${readFileSync(join(dir, 'templates/newspaper/page.css'), 'utf8')}\n/* x */`));
    await changed('config', () => writeFileSync(join(dir, 'presswork.config.yml'), 'paper: 另一报\n'));
    await changed('formats', () => undefined, () => fingerprint({ formats: ['pdf'] }));
    await changed('SOURCE_DATE_EPOCH', () => undefined, () => fingerprint({ sourceDateEpoch: 1 }));
  });

  it('changes with --allow-remote and its limits, the browser it prints on, and (for the page HTML) where the output folder is', () => {
    const remote = { timeoutMs: 10_000, maxBytes: 20_000_000 };
    const prints = [
      fingerprint(),
      fingerprint({ remoteImages: remote }),
      fingerprint({ remoteImages: { ...remote, maxBytes: 1_000 } }),
      fingerprint({ browserWSEndpoint: 'ws://10.0.0.2:9222/devtools/browser/abc' }),
      fingerprint({ formats: ['pdf', 'html'], outDir: join(dir, 'output') }),
      fingerprint({ formats: ['pdf', 'html'], outDir: join(dir, 'elsewhere', 'output') }),
    ];
    expect(new Set(prints).size).toBe(prints.length);
    // The same remote Chrome started again (a new id in its URL) prints the same.
    expect(fingerprint({ browserWSEndpoint: 'ws://10.0.0.2:9222/devtools/browser/def' })).toBe(prints[3]);
    // Without the page HTML no output links anything relative to the folder.
    expect(fingerprint({ outDir: join(dir, 'elsewhere') })).toBe(fingerprint({ outDir: join(dir, 'output') }));
  });

  it('covers an image named by a Markdown reference, and leaves an article with a remote image uncached under --allow-remote', async () => {
    writeFileSync(join(dir, 'ref.md'), '---\nheadline: 引用图\n---\n\n正文。\n\n![图][甲]\n\n[甲]: by-reference.png\n');
    const keyOf = async (name: string, options?: Parameters<typeof articleKey>[2]) => articleKey(fingerprint(), await loadArticle(join(dir, name), loadConfig(dir)), options);
    writeFileSync(join(dir, 'by-reference.png'), 'one');
    const before = await keyOf('ref.md');
    writeFileSync(join(dir, 'by-reference.png'), 'two');
    expect(await keyOf('ref.md')).not.toBe(before);

    writeFileSync(join(dir, 'remote.md'), '---\nheadline: 远程图\n---\n\n正文。\n\n<img src="https://example.org/a.png" alt="图">\n');
    expect(await keyOf('remote.md')).toMatch(/^[0-9a-f]{64}$/);
    expect(await keyOf('remote.md', { remoteImages: true })).toBeUndefined();
    expect(await keyOf('ref.md', { remoteImages: true })).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('reusing a previous record', () => {
  it('needs its key and every file it lists for the formats asked, the pages after the first of a preview included, at their sizes', async () => {
    const out = mkdtempSync(join(tmpdir(), 'presswork-reuse-'));
    mkdirSync(join(out, 'a'));
    writeFileSync(join(out, 'a', 'a.pdf'), 'pdf');
    writeFileSync(join(out, 'a', 'a.png'), 'page 1');
    writeFileSync(join(out, 'a', 'a-2.png'), 'page 2');
    const previous = {
      ok: true,
      cacheKey: 'k',
      outputs: {
        pdf: { path: 'a/a.pdf', bytes: 3, sha256: '' },
        png: { path: 'a/a.png', bytes: 6, sha256: '', more: [{ path: 'a/a-2.png', bytes: 6, sha256: '' }] },
      },
    };
    expect(await reusable(previous, 'k', out, ['pdf', 'png'])).toBe(true);
    expect(await reusable(previous, 'other', out, ['pdf', 'png'])).toBe(false);
    expect(await reusable({ ...previous, ok: false }, 'k', out, ['pdf'])).toBe(false);
    expect(await reusable(previous, 'k', out, ['pdf', 'epub'])).toBe(false);
    writeFileSync(join(out, 'a', 'a-2.png'), 'page 2, edited');
    expect(await reusable(previous, 'k', out, ['pdf', 'png'])).toBe(false);
    rmSync(join(out, 'a', 'a-2.png'));
    expect(await reusable(previous, 'k', out, ['pdf', 'png'])).toBe(false);
    // The PDF alone is still there whole.
    expect(await reusable(previous, 'k', out, ['pdf'])).toBe(true);
    rmSync(out, { recursive: true, force: true });
  });
});

describe('--allow-remote in a real build', () => {
  let project: string;
  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'presswork-cache-remote-'));
    writeFileSync(join(project, 'plain.md'), shortArticle('本地稿'));
    // Port 9 (discard) refuses at once: the image is blocked with a warning and the article still builds.
    writeFileSync(join(project, 'remote.md'), `${shortArticle('远程稿')}\n![远程](http://127.0.0.1:9/a.png)\n`);
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  const run = async (allowRemote: boolean): Promise<Array<[string, boolean]>> => {
    const report: BuildReport = await build({
      paths: [project],
      cwd: project,
      outDir: join(project, 'output'),
      formats: ['pdf'],
      write: true,
      ...(allowRemote ? { remoteImages: { timeoutMs: 2_000, maxBytes: 1_000_000 } } : {}),
    });
    expect(report.articles.every((article) => article.ok)).toBe(true);
    return report.articles.map((article) => [article.slug, article.cached ?? false]);
  };

  it('rebuilds every article when it is turned on, then keeps reusing only those with no remote image', async () => {
    expect(await run(false)).toEqual([['plain', false], ['remote', false]]);
    expect(await run(false)).toEqual([['plain', true], ['remote', true]]);
    expect(await run(true)).toEqual([['plain', false], ['remote', false]]);
    expect(await run(true)).toEqual([['plain', true], ['remote', false]]);
  }, 300_000);
});
