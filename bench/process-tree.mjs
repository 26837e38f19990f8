// Memory of a whole process tree (node and the Chromium it starts), for the benchmarks.
import { readdirSync, readFileSync } from 'node:fs';

/** Sum of Pss (bytes) over `pid` and all its descendants, from /proc/<pid>/smaps_rollup. */
export function treePss(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command may hold spaces and parentheses: the fields after the last ')' are fixed.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // A process that ended while we looked.
    }
  }
  let bytes = 0;
  let processes = 0;
  for (const queue = [pid]; queue.length > 0; ) {
    const current = queue.pop();
    try {
      bytes += Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${current}/smaps_rollup`, 'utf8'))?.[1] ?? 0) * 1024;
      processes++;
    } catch {
      // Gone, or not ours to read.
    }
    queue.push(...(children.get(current) ?? []));
  }
  return { bytes, processes };
}
