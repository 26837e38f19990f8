// Global teardown of the suite: no Chromium process that the tests started may
// outlive them. An orphan is a Chromium process re-parented to init (its parent
// died) that started after this test run did. (Crashpad handlers live under
// init by design while their browser runs, and end with it.)
import { readFileSync } from 'node:fs';
import { processes, waitFor } from './processes.js';

function startTicks(pid: number | string): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
}

function orphans(since: number) {
  return processes().filter((process) => {
    if (process.ppid !== 1 || !/chrom/i.test(process.cmdline) || /crashpad/.test(process.cmdline)) return false;
    try {
      return startTicks(process.pid) >= since;
    } catch {
      return false;
    }
  });
}

export default function setup(): () => Promise<void> {
  const since = startTicks(process.pid);
  return async () => {
    if (await waitFor(() => orphans(since).length === 0, 10_000)) return;
    const left = orphans(since);
    // Vitest only logs an error thrown here; the exit code is what CI sees.
    process.exitCode = 1;
    throw new Error(`${left.length} orphan Chromium process(es) outlived the tests:\n${left.map((process) => `  ${process.pid} ${process.cmdline.slice(0, 160)}`).join('\n')}`);
  };
}
