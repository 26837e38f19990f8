// One build at a time per output folder: two builds writing the same
// manifest would each leave the other's articles out. The lock is a folder
// (`.presswork.lock`) inside the output folder, kept fresh while the build
// runs; a lock left by a killed build counts as stale after 30 s.
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';

export const LOCK_NAME = '.presswork.lock';
const STALE_MS = 30_000;
const POLL_MS = 250;

export class OutputLockedError extends Error {
  override readonly name = 'OutputLockedError';
}

export interface LockOptions {
  /** How long to wait for another build to finish (ms); 0: refuse at once. */
  waitMs: number;
  /** Called once, when the folder is found locked and we start waiting. */
  onWait?: () => void;
}

/** Takes the output folder's lock, waiting up to `waitMs`; resolves to the function that releases it. */
export async function lockOutput(outDir: string, options: LockOptions): Promise<() => Promise<void>> {
  await mkdir(outDir, { recursive: true });
  const lockfilePath = join(outDir, LOCK_NAME);
  const deadline = Date.now() + options.waitMs;
  let waiting = false;
  for (;;) {
    try {
      const release = await lockfile.lock(outDir, {
        realpath: false,
        lockfilePath,
        stale: STALE_MS,
        // Losing the lock (someone deleted it) must not crash the build; the next build simply takes it.
        onCompromised: () => undefined,
      });
      return async () => {
        await release().catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      if (Date.now() >= deadline) {
        const since = await stat(lockfilePath).then((info) => info.mtime.toISOString()).catch(() => 'just now');
        throw new OutputLockedError(
          `another presswork build is writing to ${outDir} (its lock ${lockfilePath} was refreshed at ${since}); wait for it to finish, or build into another folder with --out (a lock left by a build that was killed expires after ${STALE_MS / 1000} s)`,
        );
      }
      if (!waiting) {
        waiting = true;
        options.onWait?.();
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
