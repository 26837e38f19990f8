// Output files appear whole or not at all, and an article's or an edition's
// set of files all or none (faults.test.ts fails a real build's write).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeAllOrNone, WriteError } from '../src/publish/atomic.js';

const dir = mkdtempSync(join(tmpdir(), 'presswork-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bytes = (text: string) => new TextEncoder().encode(text);

describe('writeAllOrNone', () => {
  it('writes every file of the set', async () => {
    const out = join(dir, 'all');
    await writeAllOrNone([
      { path: join(out, 'a', 'a.pdf'), bytes: bytes('pdf') },
      { path: join(out, 'a', 'a-2.png'), bytes: bytes('png 2') },
    ]);
    expect(readFileSync(join(out, 'a', 'a.pdf'), 'utf8')).toBe('pdf');
    expect(readFileSync(join(out, 'a', 'a-2.png'), 'utf8')).toBe('png 2');
  });

  it('leaves none of them when one fails, and names the one that failed', async () => {
    const out = join(dir, 'none');
    // A file where a folder should be: the third file cannot be written.
    await writeAllOrNone([{ path: join(out, 'blocked'), bytes: bytes('a file') }]);
    const files = [
      { path: join(out, 'a', 'a.pdf'), bytes: bytes('pdf') },
      { path: join(out, 'a', 'a.png'), bytes: bytes('png') },
      { path: join(out, 'blocked', 'a-2.png'), bytes: bytes('png 2') },
      { path: join(out, 'a', 'a.epub'), bytes: bytes('epub') },
    ];
    const error = await writeAllOrNone(files).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WriteError);
    expect((error as WriteError).path).toBe(join(out, 'blocked', 'a-2.png'));
    expect((error as WriteError).message).toMatch(/ENOTDIR|EEXIST/);
    // The two written before it are gone again, no temp file is left, the one after was never begun.
    expect(readdirSync(join(out, 'a'))).toEqual([]);
    expect(readdirSync(out).sort()).toEqual(['a', 'blocked']);
  });

  it('leaves files outside the set alone', async () => {
    const out = join(dir, 'others');
    await writeAllOrNone([{ path: join(out, 'b', 'b.pdf'), bytes: bytes('other article') }]);
    writeFileSync(join(out, 'blocked'), 'a file');
    await expect(writeAllOrNone([{ path: join(out, 'a', 'a.pdf'), bytes: bytes('pdf') }, { path: join(out, 'blocked', 'x'), bytes: bytes('x') }])).rejects.toThrow(WriteError);
    expect(readFileSync(join(out, 'b', 'b.pdf'), 'utf8')).toBe('other article');
    expect(readdirSync(join(out, 'a'))).toEqual([]);
  });
});
