// 版次 of the pages an article runs over: page 3 continues on 4, A03 on A04.
import type { RunningHead } from '../content/load.js';

export interface FolioNumbering {
  /** The 版次 of the article's first page: 3, or 3 of "A03"; undefined when the article has none. */
  start?: number;
  /** "A" of "A03". */
  prefix: string;
  /** Digits of the number, zero-padded: 2 for "A03". */
  width: number;
}

export function folioNumbering(page: RunningHead['page']): FolioNumbering {
  if (typeof page === 'number') return { start: page, prefix: '', width: 1 };
  const match = page === undefined ? null : /^(.*?)(\d+)$/.exec(page);
  if (!match) return { prefix: '', width: 1 };
  return { start: Number(match[2]), prefix: match[1] ?? '', width: match[2]?.length ?? 1 };
}
