// CI splitting: `--shard i/n` builds a deterministic share of the articles.
// The share is chosen by a hash of the article's path, not by its position, so
// adding an article moves no other between shards (and their caches stay warm).
import { createHash } from 'node:crypto';
import { UsageError } from './sources.js';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** "2/4" → { index: 2, count: 4 }. */
export function parseShard(value: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard takes i/n with 1 ≤ i ≤ n, e.g. --shard 2/4 (got "${value}")`);
  }
  return { index, count };
}

/** Whether the article at `path` (as the manifest names it: relative to the project) belongs to `shard`. */
export function inShard(path: string, shard: Shard): boolean {
  return shardOf(path, shard.count) === shard.index;
}

export function shardOf(path: string, count: number): number {
  const digest = createHash('sha256').update(path.split('\\').join('/')).digest();
  return (digest.readUInt32BE(0) % count) + 1;
}
