// `presswork import` as a user runs it: the seed's content/ file is its output
// plus three comment lines added by hand.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const seed = fileURLToPath(new URL('./fixtures/seed/000_952877358d78f3b2.txt', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'presswork-import-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function presswork(args: string[]) {
  return spawnSync(process.execPath, [join(root, 'bin', 'presswork.js'), ...args], { cwd: root, encoding: 'utf8' });
}

describe('presswork import', () => {
  it('writes the seed as the Markdown in content/, and reports the five joins with their lines on stderr', () => {
    const result = presswork(['import', seed]);
    expect(result.status).toBe(0);
    const committed = readFileSync(join(root, 'content', '000_952877358d78f3b2.md'), 'utf8');
    const handAdded = /^# .*\n/gm;
    expect(committed.match(handAdded)).toHaveLength(3);
    expect(result.stdout).toBe(committed.replace(handAdded, ''));
    const joins = result.stderr.trim().split('\n');
    expect(joins.map((line) => /:(\d+-\d+): joined a paragraph broken mid-sentence/.exec(line)?.[1])).toEqual([
      '42-44',
      '48-50',
      '60-62',
      '76-78',
      '80-82',
    ]);
  });

  it('writes to -o instead of stdout', () => {
    const target = join(scratch, 'seed.md');
    const result = presswork(['import', seed, '-o', target]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    expect(readFileSync(target, 'utf8')).toMatch(/^---\nheadline: 努力实现服务职工零距离\n/);
  });

  it('refuses a file that is not text with exit 1 and a message naming it', () => {
    const binary = join(scratch, 'photo.txt');
    writeFileSync(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    const result = presswork(['import', binary]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('photo.txt');
    expect(result.stdout).toBe('');
  });
});
