// Batch builds as CI runs them, through the real command line and a real
// Chromium: failures isolated per article, duplicate slugs, the incremental
// cache, stale outputs, shards and their merge, JUnit, the manifest's schema,
// and printing on a browser that someone else started.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifestJsonSchema, manifestSchema, mergeManifests } from '../src/publish/manifest.js';
import { inShard, parseShard, shardOf } from '../src/publish/shard.js';
import { findBrowser } from '../src/print/browser.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'bin', 'presswork.js');
const seed = join(root, 'content', '000_952877358d78f3b2.md');

function presswork(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return result;
}

interface JsonReport {
  ok: boolean;
  articles: Array<{ source: string; slug: string; ok: boolean; cached?: boolean; messages: Array<{ rule: string; message: string; line?: number }> }>;
}

let project: string;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'presswork-batch-'));
  copyFileSync(join(root, 'presswork.config.yml'), join(project, 'presswork.config.yml'));
});

afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('a batch with bad articles', () => {
  let out: string;
  let first: ReturnType<typeof presswork>;

  beforeAll(() => {
    const content = join(project, 'batch');
    mkdirSync(join(content, 'one'), { recursive: true });
    mkdirSync(join(content, 'two'), { recursive: true });
    copyFileSync(seed, join(content, 'alpha.md'));
    copyFileSync(seed, join(content, 'beta.md'));
    // Line 3: a key the schema does not know.
    writeFileSync(join(content, 'bad.md'), '---\nheadline: 坏稿\nheadlin: 错字\n---\n\n正文。\n');
    // Two files with one stem: both would write dup/.
    copyFileSync(seed, join(content, 'one', 'dup.md'));
    writeFileSync(join(content, 'two', 'dup.md'), '---\nheadline: 其二\n---\n\n正文。\n');
    out = join(project, 'out');
    first = presswork(['build', 'batch', '--out', 'out', '--format', 'pdf,html', '--json', '--junit', 'junit.xml', '--concurrency', '2'], project);
  });

  it('builds the good articles, fails the bad ones alone, exits 1 and lists the failures', () => {
    expect(first.status, first.stderr).toBe(1);
    const report = JSON.parse(first.stdout) as JsonReport;
    expect(report.ok).toBe(false);
    const byName = Object.fromEntries(report.articles.map((article) => [article.source, article]));
    expect(Object.keys(byName)).toEqual(['batch/alpha.md', 'batch/bad.md', 'batch/beta.md', 'batch/one/dup.md', 'batch/two/dup.md']);
    expect(byName['batch/alpha.md']?.ok).toBe(true);
    expect(byName['batch/beta.md']?.ok).toBe(true);
    expect(existsSync(join(out, 'alpha', 'alpha.pdf'))).toBe(true);
    expect(existsSync(join(out, 'beta', 'beta.html'))).toBe(true);

    const bad = byName['batch/bad.md'];
    expect(bad?.ok).toBe(false);
    expect(bad?.messages.find((message) => message.line === 3)?.message).toMatch(/headlin/);
    expect(existsSync(join(out, 'bad'))).toBe(false);

    for (const name of ['batch/one/dup.md', 'batch/two/dup.md']) {
      const duplicate = byName[name]?.messages.find((message) => message.rule === 'duplicate-slug');
      expect(duplicate?.message).toContain('batch/one/dup.md');
      expect(duplicate?.message).toContain('batch/two/dup.md');
    }
    expect(existsSync(join(out, 'dup'))).toBe(false);
    expect(first.stderr).toMatch(/3 of 5 article\(s\) failed: batch\/bad\.md, batch\/one\/dup\.md, batch\/two\/dup\.md/);
    expect(first.stderr).toContain('2 built, 0 cached, 3 failed');
  });

  it('writes a versioned manifest that its shipped JSON Schema describes', () => {
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.version).toBe(1);
    expect(manifestSchema.safeParse(manifest).success).toBe(true);
    expect(manifestSchema.safeParse({ ...manifest, version: 2 }).success).toBe(false);
    // The schema file in the package is the one the zod schema gives (run `npm run schema` after changing it).
    const shipped = JSON.parse(readFileSync(join(root, 'manifest.schema.json'), 'utf8'));
    expect(shipped).toEqual(JSON.parse(JSON.stringify(manifestJsonSchema())));
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).files).toContain('manifest.schema.json');
  });

  it('writes JUnit XML with a case per article and the failures as failures', () => {
    const xml = readFileSync(join(project, 'junit.xml'), 'utf8');
    const build = /<testsuite name="build" tests="(\d+)" failures="(\d+)"/.exec(xml);
    expect(build?.slice(1)).toEqual(['5', '3']);
    expect(xml).toMatch(/<testcase classname="presswork\.build" name="alpha" file="batch\/alpha\.md"\/>/);
    expect(xml).toMatch(/<testcase classname="presswork\.build" name="bad" file="batch\/bad\.md"><failure message="[^"]*headlin/);
    // A case for each of the eight checks of each printed article.
    expect(xml.match(/classname="presswork\.preflight\./g)).toHaveLength(16);
  });

  it('does not rebuild unchanged articles, and says they are cached', () => {
    const pdf = join(out, 'alpha', 'alpha.pdf');
    const before = statSync(pdf).mtimeMs;
    const again = presswork(['build', 'batch', '--out', 'out', '--format', 'pdf,html', '--json'], project);
    const report = JSON.parse(again.stdout) as JsonReport;
    expect(report.articles.filter((article) => article.cached).map((article) => article.slug)).toEqual(['alpha', 'beta']);
    expect(statSync(pdf).mtimeMs).toBe(before);
    expect(again.stderr).toContain('0 built, 2 cached, 3 failed');
    // The cached article's warnings are still reported.
    expect(again.stderr).toContain('photo-missing');
  });

  it('rebuilds an article whose source changed, removes one that was deleted, and keeps other folders', () => {
    const content = join(project, 'batch');
    writeFileSync(join(content, 'beta.md'), readFileSync(join(content, 'beta.md'), 'utf8').replace('市委党的群团工作会议召开后', '市委党的群团工作会议闭幕后'));
    rmSync(join(content, 'alpha.md'));
    rmSync(join(content, 'bad.md'));
    rmSync(join(content, 'one'), { recursive: true });
    rmSync(join(content, 'two'), { recursive: true });
    mkdirSync(join(out, 'notes'));
    const again = presswork(['build', 'batch', '--out', 'out', '--format', 'pdf,html', '--json'], project);
    expect(again.status, again.stderr).toBe(0);
    const report = JSON.parse(again.stdout) as JsonReport;
    expect(report.articles.map((article) => [article.slug, article.cached ?? false])).toEqual([['beta', false]]);
    expect(existsSync(join(out, 'alpha'))).toBe(false);
    expect(again.stderr).toContain('removed alpha/');
    expect(existsSync(join(out, 'notes'))).toBe(true);
    expect(readFileSync(join(out, 'beta', 'beta.html'), 'utf8')).toContain('闭幕后');
    const manifest = manifestSchema.parse(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')));
    expect(manifest.articles.map((article) => article.slug)).toEqual(['beta']);
  });

  it('keeps the last good outputs of an article whose front matter broke', () => {
    const beta = join(project, 'batch', 'beta.md');
    writeFileSync(beta, readFileSync(beta, 'utf8').replace('headline:', 'headlin:'));
    const broken = presswork(['build', 'batch', '--out', 'out', '--format', 'pdf,html', '--json'], project);
    expect(broken.status).toBe(1);
    expect(existsSync(join(out, 'beta', 'beta.pdf'))).toBe(true);
    expect(broken.stderr).not.toContain('removed beta/');
  });
});

describe('a cached article that another article\'s slug now collides with', () => {
  it('fails with the other, naming both, instead of being reported as cached', () => {
    const content = join(project, 'collide');
    mkdirSync(join(content, 'later'), { recursive: true });
    writeFileSync(join(content, 'report.md'), '---\nheadline: 先到的稿子\n---\n\n正文。\n');
    const first = presswork(['build', 'collide', '--out', 'collide-out', '--format', 'html'], project);
    expect(first.status, first.stderr).toBe(0);
    writeFileSync(join(content, 'later', 'report.md'), '---\nheadline: 后来的稿子\n---\n\n正文。\n');
    const again = presswork(['build', 'collide', '--out', 'collide-out', '--format', 'html', '--json'], project);
    expect(again.status).toBe(1);
    const report = JSON.parse(again.stdout) as JsonReport;
    expect(report.articles.map((article) => [article.source, article.ok, article.cached ?? false])).toEqual([
      ['collide/later/report.md', false, false],
      ['collide/report.md', false, false],
    ]);
    for (const article of report.articles) {
      const duplicate = article.messages.find((message) => message.rule === 'duplicate-slug');
      expect(duplicate?.message).toContain('collide/report.md');
      expect(duplicate?.message).toContain('collide/later/report.md');
    }
  });
});

describe('a build of some of the articles', () => {
  it('keeps the others in the manifest, so that their outputs go when their article is deleted', () => {
    const content = join(project, 'partial');
    mkdirSync(content);
    for (const name of ['a', 'b']) writeFileSync(join(content, `${name}.md`), `---\nheadline: 稿件${name}\n---\n\n正文。\n`);
    const slugs = () => manifestSchema.parse(JSON.parse(readFileSync(join(project, 'partial-out', 'manifest.json'), 'utf8'))).articles.map((article) => article.slug);
    expect(presswork(['build', 'partial', '--out', 'partial-out', '--format', 'html'], project).status).toBe(0);
    expect(presswork(['build', 'partial/a.md', '--out', 'partial-out', '--format', 'html'], project).status).toBe(0);
    expect(slugs()).toEqual(['a', 'b']);
    rmSync(join(content, 'b.md'));
    const again = presswork(['build', 'partial', '--out', 'partial-out', '--format', 'html'], project);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toContain('removed b/');
    expect(existsSync(join(project, 'partial-out', 'b'))).toBe(false);
    expect(slugs()).toEqual(['a']);
  });
});

describe('a shard\'s output folder', () => {
  it('loses an article that moved to another shard, as it would one that was deleted', () => {
    const content = join(project, 'moving');
    mkdirSync(content);
    // Two file names in different shards of 2, one slug: the article moves from one to the other.
    const names = Array.from({ length: 20 }, (_, index) => `m${index}`);
    const here = names.find((name) => shardOf(`moving/${name}.md`, 2) === 1)!;
    const there = names.find((name) => shardOf(`moving/${name}.md`, 2) === 2)!;
    const text = '---\nheadline: 移动的稿件\nslug: moved\n---\n\n正文。\n';
    writeFileSync(join(content, `${here}.md`), text);
    expect(presswork(['build', 'moving', '--out', 'shard-1', '--format', 'html', '--shard', '1/2'], project).status).toBe(0);
    expect(existsSync(join(project, 'shard-1', 'moved'))).toBe(true);
    rmSync(join(content, `${here}.md`));
    writeFileSync(join(content, `${there}.md`), text);
    const again = presswork(['build', 'moving', '--out', 'shard-1', '--format', 'html', '--shard', '1/2'], project);
    expect(again.status, again.stderr).toBe(0);
    expect(existsSync(join(project, 'shard-1', 'moved'))).toBe(false);
    expect(manifestSchema.parse(JSON.parse(readFileSync(join(project, 'shard-1', 'manifest.json'), 'utf8'))).articles).toEqual([]);
  });
});

describe('an article rebuilt on fewer pages', () => {
  it('leaves no preview of a page it no longer has', () => {
    const content = join(project, 'shrink');
    mkdirSync(content);
    copyFileSync(join(root, 'content', 'manpages-zh-psql.md'), join(content, 'long.md'));
    const first = presswork(['build', 'shrink', '--out', 'shrink-out', '--format', 'png'], project);
    expect(first.status, first.stderr).toBe(0);
    const previews = () => readdirSync(join(project, 'shrink-out', 'long')).filter((name) => name.endsWith('.png')).sort();
    expect(previews().length).toBeGreaterThan(2);
    writeFileSync(join(content, 'long.md'), '---\nheadline: 删节之后\n---\n\n正文只剩一段。\n');
    const again = presswork(['build', 'shrink', '--out', 'shrink-out', '--format', 'png'], project);
    expect(again.status, again.stderr).toBe(0);
    expect(previews()).toEqual(['long.png']);
  });
});

describe('--shard i/n', () => {
  it('puts every article in exactly one shard, about evenly, the same way every time', () => {
    const names = Array.from({ length: 400 }, (_, index) => `content/article-${index}.md`);
    const counts = [0, 0, 0, 0];
    for (const name of names) {
      const owners = [1, 2, 3, 4].filter((index) => inShard(name, { index, count: 4 }));
      expect(owners).toHaveLength(1);
      counts[owners[0]! - 1]!++;
      expect(shardOf(name, 4)).toBe(owners[0]);
    }
    for (const count of counts) expect(count).toBeGreaterThan(70);
    expect(() => parseShard('3/2')).toThrow(/1 ≤ i ≤ n/);
    expect(() => parseShard('0/2')).toThrow(/--shard/);
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
  });

  it('builds the shares of a batch in separate jobs whose merged manifest covers them all', async () => {
    const content = join(project, 'shards');
    mkdirSync(content);
    // Two names that fall in different shards of 2.
    const names = ['s0', 's1', 's2', 's3', 's4', 's5'];
    const first = names.find((name) => shardOf(`shards/${name}.md`, 2) === 1)!;
    const second = names.find((name) => shardOf(`shards/${name}.md`, 2) === 2)!;
    for (const name of [first, second]) copyFileSync(seed, join(content, `${name}.md`));
    for (const index of [1, 2]) {
      const result = presswork(['build', 'shards', '--out', `jobs/${index}/out`, '--format', 'pdf', '--shard', `${index}/2`], project);
      expect(result.status, result.stderr).toBe(0);
    }
    const manifests = [1, 2].map((index) => JSON.parse(readFileSync(join(project, `jobs/${index}/out/manifest.json`), 'utf8')));
    expect(manifests.map((manifest) => manifest.articles.map((article: { slug: string }) => article.slug))).toEqual([[first], [second]]);
    expect(manifests[1].shard).toEqual({ index: 2, count: 2 });

    const merge = presswork(['manifest', 'merge', 'jobs/1/out/manifest.json', 'jobs/2/out/manifest.json', '-o', 'merged/manifest.json'], project);
    expect(merge.status, merge.stderr).toBe(0);
    const merged = manifestSchema.parse(JSON.parse(readFileSync(join(project, 'merged', 'manifest.json'), 'utf8')));
    expect(merged.articles.map((article) => article.slug)).toEqual([first, second].sort());
    for (const article of merged.articles) {
      // Paths are relative to the merged manifest and still reach the shards' files.
      expect(existsSync(resolve(project, 'merged', article.outputs.pdf!.path))).toBe(true);
    }
  });

  it('refuses a set of shards with one missing, or shards of two different splits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'presswork-merge-'));
    const shard = (index: number, count: number) => {
      const path = join(dir, `s${index}-${count}.json`);
      writeFileSync(path, JSON.stringify({ version: 1, generator: 'test', shard: { index, count }, articles: [{ source: `x${index}.md`, slug: `x${index}`, ok: true, outputs: {}, messages: [] }] }));
      return path;
    };
    await expect(mergeManifests([shard(1, 3), shard(3, 3)], join(dir, 'm.json'))).rejects.toThrow(/^shard 2\/3 missing: .*; pass the manifest of every shard$/);
    await expect(mergeManifests([shard(1, 2), shard(2, 3)], join(dir, 'm.json'))).rejects.toThrow(/is shard 1\/2 and .* is shard 2\/3: merge the manifests of one --shard i\/n split/);
    const all = await mergeManifests([shard(2, 3), shard(1, 3), shard(3, 3)], join(dir, 'm.json'));
    expect(all.articles.map((entry) => entry.slug)).toEqual(['x1', 'x2', 'x3']);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to merge two different articles with one slug, naming both', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'presswork-merge-'));
    const article = (source: string) => ({ source, slug: 'same', ok: true, outputs: {}, messages: [] });
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ version: 1, generator: 'test', articles: [article('a/same.md')] }));
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ version: 1, generator: 'test', articles: [article('b/same.md')] }));
    await expect(mergeManifests([join(dir, 'a.json'), join(dir, 'b.json')], join(dir, 'm.json'))).rejects.toThrow(/a\/same\.md.*b\/same\.md/);
    // Two articles that failed for sharing a slug are both kept; each is its own source's entry.
    const failed = (source: string) => ({ ...article(source), ok: false });
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ version: 1, generator: 'test', articles: [failed('c/same.md')] }));
    writeFileSync(join(dir, 'd.json'), JSON.stringify({ version: 1, generator: 'test', articles: [failed('d/same.md'), article('e/same.md')] }));
    const kept = await mergeManifests([join(dir, 'c.json'), join(dir, 'd.json')], join(dir, 'm.json'));
    expect(kept.articles.map((entry) => [entry.source, entry.ok])).toEqual([
      ['c/same.md', false],
      ['d/same.md', false],
      ['e/same.md', true],
    ]);
    writeFileSync(join(dir, 'old.json'), JSON.stringify({ generator: 'test', articles: [] }));
    const refused = presswork(['manifest', 'merge', join(dir, 'old.json'), '-o', join(dir, 'm.json')], dir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/old\.json: not a presswork 1 manifest \(version/);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('--browser-ws', () => {
  it('prints on a Chromium started elsewhere and leaves it running', async () => {
    const profile = mkdtempSync(join(tmpdir(), 'presswork-remote-'));
    const args = ['--headless=new', '--remote-debugging-address=127.0.0.1', '--remote-debugging-port=0', `--user-data-dir=${profile}`, '--no-first-run', '--disable-gpu'];
    if (process.getuid?.() === 0) args.push('--no-sandbox');
    // Its own process group, so the whole browser (helpers included) can be killed at the end.
    const chromium = spawn(findBrowser(), [...args, 'about:blank'], { stdio: 'ignore', detached: true });
    try {
      // Chromium writes its port and browser id to DevToolsActivePort once it listens.
      const portFile = join(profile, 'DevToolsActivePort');
      for (let waited = 0; !existsSync(portFile) || readFileSync(portFile, 'utf8').split('\n').length < 2; waited += 100) {
        if (waited > 30_000) throw new Error('Chromium did not start listening');
        await new Promise((done) => setTimeout(done, 100));
      }
      const [port, path] = readFileSync(portFile, 'utf8').split('\n');
      const ws = `ws://127.0.0.1:${port}${path}`;
      const content = join(project, 'remote');
      mkdirSync(content);
      copyFileSync(seed, join(content, 'remote.md'));
      const result = presswork(['build', 'remote', '--out', 'remote-out', '--format', 'pdf', '--browser-ws', ws], project);
      expect(result.status, result.stderr).toBe(0);
      const pdf = readFileSync(join(project, 'remote-out', 'remote', 'remote.pdf'));
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      // The build disconnected; the browser it did not start is still running.
      expect(chromium.exitCode).toBeNull();
      const version = await fetch(`http://127.0.0.1:${port}/json/version`).then((response) => response.json() as Promise<{ Browser: string }>);
      expect(version.Browser).toMatch(/Chrom/);

      const wrong = presswork(['build', 'remote', '--out', 'remote-out', '--no-cache', '--browser-ws', 'http://127.0.0.1:1/'], project);
      expect(wrong.status).toBe(2);
      expect(wrong.stderr).toContain('--browser-ws takes');
    } finally {
      const exited = chromium.exitCode === null ? new Promise((done) => chromium.once('exit', done)) : undefined;
      try {
        process.kill(-(chromium.pid ?? 0), 'SIGKILL');
      } catch {
        chromium.kill('SIGKILL');
      }
      await exited;
      // Its helper processes may still be writing to the profile for a moment; a profile left in tmp fails nothing.
      await new Promise((done) => setTimeout(done, 500));
      try {
        rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
      } catch {
        // ENOTEMPTY while a dying helper still writes: the folder is in tmp and holds nothing of the test's.
      }
    }
  });
});
