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
  const temp = await writeTemp(path, bytes);
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  } finally {
    pending.delete(temp);
  }
}

/** `bytes`, whole and flushed, in a temp file beside `path`; its name, for the caller to rename or remove. */
async function writeTemp(path: string, bytes: Uint8Array): Promise<string> {
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
    return temp;
  } catch (error) {
    await rm(temp, { force: true });
    pending.delete(temp);
    throw error;
  }
}

/** A file of a set that could not be written; no file of the set replaced anything. */
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
 * Writes every file, each whole, or none of them: all are written to temp files
 * first and only then renamed over their targets, so when one cannot be written
 * the last build's files are all still there, untouched (removing the new ones
 * already in place had left that build's other formats without these), and a
 * WriteError names the one that failed.
 */
export async function writeAllOrNone(files: Array<{ path: string; bytes: Uint8Array }>): Promise<void> {
  const temps: Array<{ temp: string; path: string }> = [];
  const discard = async () => {
    await Promise.all(temps.map(({ temp }) => rm(temp, { force: true })));
    for (const { temp } of temps) pending.delete(temp);
  };
  for (const { path, bytes } of files) {
    try {
      temps.push({ temp: await writeTemp(path, bytes), path });
    } catch (error) {
      await discard();
      throw new WriteError(path, error);
    }
  }
  for (const [index, { temp, path }] of temps.entries()) {
    try {
      await rename(temp, path);
    } catch (error) {
      temps.splice(0, index);
      await discard();
      throw new WriteError(path, error);
    }
    pending.delete(temp);
  }
}
