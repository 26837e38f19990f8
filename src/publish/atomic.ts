// Everything under output/ appears whole or not at all: write a temp file in
// the same folder, check it holds every byte, flush it to disk, then rename
// it over the target. (write-file-atomic 6 trusts a single write(2); a short
// write — a file-size limit, a quota — left a truncated file renamed into place.)
import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Temp files being written: removed if the process exits (Ctrl-C) before they are renamed. */
const pending = new Set<string>();
process.once('exit', () => {
  for (const path of pending) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
});

export async function writeAtomic(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  // A dot-name in the same folder: rename stays on one file system, and listings skip it.
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  pending.add(temp);
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      // FileHandle.writeFile loops over short writes; the size check catches any that still fell short.
      await handle.writeFile(bytes);
      const { size } = await handle.stat();
      if (size !== bytes.byteLength) throw new Error(`only ${size} of ${bytes.byteLength} bytes reached the disk`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  } finally {
    pending.delete(temp);
  }
}

/** A file of a set that could not be written; the set's files written before it are gone again. */
export class WriteError extends Error {
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'WriteError';
  }
}

/**
 * Writes every file, each whole, or leaves none of them: when one fails, the
 * ones already written are removed and a WriteError names the one that failed.
 */
export async function writeAllOrNone(files: Array<{ path: string; bytes: Uint8Array }>): Promise<void> {
  const written: string[] = [];
  for (const { path, bytes } of files) {
    try {
      await writeAtomic(path, bytes);
    } catch (error) {
      await Promise.all(written.map((done) => rm(done, { force: true })));
      throw new WriteError(path, error);
    }
    written.push(path);
  }
}
