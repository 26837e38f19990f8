// Which Chromium processes are still alive: read from /proc, so a test can
// prove that nothing it launched outlives it (main process, zygotes,
// renderers, GPU and utility processes all carry the browser's profile folder).
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  cmdline: string;
}

export function processes(): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 (ppid) follows the command name in parentheses, which may itself contain spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
      if (state === 'Z') continue; // a zombie has ended; only its parent's wait() is missing
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      found.push({ pid: Number(entry), ppid, cmdline });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** Chromium processes that belong to one of the given browsers (by main pid or profile folder). */
export function chromiumSurvivors(launched: Array<{ pid: number; profile?: string }>): ProcessInfo[] {
  const pids = new Set(launched.map((browser) => browser.pid));
  const profiles = launched.flatMap((browser) => (browser.profile ? [`--user-data-dir=${browser.profile}`] : []));
  return processes().filter(
    (process) => /chrom/i.test(process.cmdline) && (pids.has(process.pid) || profiles.some((profile) => process.cmdline.includes(profile))),
  );
}

/** Chromium processes whose parent is the given process or one of its descendants. */
export function chromiumDescendants(rootPid: number): ProcessInfo[] {
  const all = processes();
  const tree = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const process of all) {
      if (!tree.has(process.pid) && tree.has(process.ppid)) {
        tree.add(process.pid);
        grew = true;
      }
    }
  }
  return all.filter((process) => process.pid !== rootPid && tree.has(process.pid) && /chrom/i.test(process.cmdline));
}

/** Polls until `test` holds or `ms` pass; returns whether it held. */
export async function waitFor(test: () => boolean, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (test()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return test();
}

export const profileGone = (profile: string | undefined): boolean => profile === undefined || !existsSync(profile);
