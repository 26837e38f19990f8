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
    // The last build's files of the article stay as they were, every one of them.
    await writeAllOrNone([
      { path: join(out, 'a', 'a.pdf'), bytes: bytes('old pdf') },
      { path: join(out, 'a', 'a.epub'), bytes: bytes('old epub') },
    ]);
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
    // None of the new files replaced anything and no temp file is left: the last build's PDF and EPUB are
    // still there whole (before, the new PDF was written and then removed, leaving the old EPUB alone).
    expect(readdirSync(join(out, 'a')).sort()).toEqual(['a.epub', 'a.pdf']);
    expect(readFileSync(join(out, 'a', 'a.pdf'), 'utf8')).toBe('old pdf');
    expect(readFileSync(join(out, 'a', 'a.epub'), 'utf8')).toBe('old epub');
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
