// Ctrl-C / SIGTERM in the middle of a build, and two builds into one output
// folder. Each build runs as the command a user types, with its own TMPDIR,
// so every temporary file and every Chromium process it makes can be found.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { lockOutput, LOCK_NAME } from '../src/publish/lock.js';
import { articleFolder, shortArticle } from './support/articles.js';
import { processes, waitFor } from './support/processes.js';

const cli = fileURLToPath(new URL('../bin/presswork.js', import.meta.url));
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function project(count = 3): { dir: string; tmp: string; out: string } {
  const files: Record<string, string> = {};
  for (let index = 1; index <= count; index++) files[`article-${index}.md`] = shortArticle(`第${index}篇`, 6);
  const dir = articleFolder(files);
  folders.push(dir);
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp);
  return { dir, tmp, out: join(dir, 'output') };
}

function run(command: string, args: string[], cwd: string): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('exit', (status) => resolve({ status, stderr }));
  });
}

/** Every file and folder under `dir`, relative. */
function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

/** Chromium processes started for this build: they carry its TMPDIR in their profile path. */
const chromiumOf = (tmp: string) => processes().filter((process) => /chrom/i.test(process.cmdline) && process.cmdline.includes(tmp));

describe.each([
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const)('%s in the middle of a build', (signal, code) => {
  it(`closes the browser, removes temporary files and the lock, and exits ${code}`, async () => {
    const { dir, tmp, out } = project();
    const child = spawn(process.execPath, [cli, 'build', dir, '--out', out, '--format', 'pdf'], { cwd: dir, env: { ...process.env, TMPDIR: tmp } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (status) => resolve(status)));
    // Wait until an article is being printed: its work folder exists and Chromium runs.
    const printing = await waitFor(() => chromiumOf(tmp).length > 0 && readdirSync(tmp).some((name) => name.startsWith('presswork-')), 60_000);
    expect(printing, stderr).toBe(true);
    const signalled = Date.now();
    child.kill(signal);
    const status = await exited;
    const stopTime = Date.now() - signalled;
    expect(status, stderr).toBe(code);
    expect(stderr).toMatch(/closing the browser and removing temporary files/);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(await waitFor(() => chromiumOf(tmp).length === 0)).toBe(true);
    expect(tree(tmp)).toEqual([]);
    // Nothing half-written and no lock in the output folder: only whole articles, if any.
    const left = tree(out);
    expect(left.filter((name) => !/^article-\d(\/article-\d\.pdf)?$/.test(name))).toEqual([]);
    console.info(`signals: ${signal} → exit ${status} in ${stopTime} ms; output had ${left.filter((name) => name.endsWith('.pdf')).length} finished PDF(s)`);
  });
});

describe('two builds into the same output folder', () => {
  it('refuses clearly when the folder stays locked, writing nothing', async () => {
    const { dir, out } = project(1);
    const release = await lockOutput(out, { waitMs: 0 });
    try {
      // Asynchronously: the lock holder (this process) must keep refreshing its lock meanwhile.
      const result = await run(process.execPath, [cli, 'build', dir, '--out', out, '--wait-lock', '1'], dir);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/another build is writing to .*; waiting for it to finish \(up to 1 s\)/);
      expect(result.stderr).toMatch(/another presswork build is writing to .*output.*wait for it to finish, or build into another folder with --out/);
      expect(tree(out)).toEqual([LOCK_NAME]);
    } finally {
      await release();
    }
    expect(tree(out)).toEqual([]);
  });

  it('lets the second build wait for the first, and both finish whole', async () => {
    const { dir, out } = project(2);
    // The first article runs to several pages: it must still hold the lock when the second build
    // (which starts only once the lock is there) has loaded and comes to take it.
    writeFileSync(join(dir, 'article-1.md'), shortArticle('第1篇', 400));
    const run = (file: string) =>
      new Promise<{ status: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [cli, 'build', join(dir, file), '--out', out, '--format', 'pdf'], { cwd: dir });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
        });
        child.on('exit', (status) => resolve({ status, stderr }));
      });
    const first = run('article-1.md');
    // The second starts once the first holds the lock.
    expect(await waitFor(() => existsSync(join(out, LOCK_NAME)), 30_000)).toBe(true);
    const second = await run('article-2.md');
    const firstResult = await first;
    expect(firstResult.status, firstResult.stderr).toBe(0);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/another build is writing to .*; waiting for it to finish/);
    // Each build writes the manifest; the second, written last, keeps the first's entry: both articles' files are in the folder.
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { articles: Array<{ slug: string }> };
    expect(manifest.articles.map((article) => article.slug)).toEqual(['article-1', 'article-2']);
    expect(tree(out)).toEqual(['article-1', 'article-1/article-1.pdf', 'article-2', 'article-2/article-2.pdf', 'manifest.json']);
  });
});
