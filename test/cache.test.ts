// The incremental build's key: it must change with every input that changes
// an article's bytes (source, its images, template, config, options), and
// only with those.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArticle, loadConfig } from '../src/content/load.js';
import { loadTemplate, TEMPLATES_DIR } from '../src/layout/index.js';
import { articleKey, buildFingerprint } from '../src/publish/cache.js';

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
  const fingerprint = (overrides: { formats?: Array<'pdf' | 'epub'>; sourceDateEpoch?: number } = {}) =>
    buildFingerprint({
      cwd: dir,
      template: loadTemplate('newspaper', join(dir, 'templates')),
      formats: overrides.formats ?? ['pdf', 'epub'],
      sourceDateEpoch: overrides.sourceDateEpoch,
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
});
