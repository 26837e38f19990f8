// Small articles written to a temporary folder, for tests that build several at once.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A short, valid article: a headline and `paragraphs` paragraphs of Chinese text. */
export function shortArticle(headline: string, paragraphs = 3): string {
  const paragraph = '本报讯　记者从市总工会获悉，今年全市工会系统深入开展服务职工活动，帮助职工解决实际困难。';
  return `---\nheadline: ${headline}\n---\n\n${Array.from({ length: paragraphs }, () => paragraph).join('\n\n')}\n`;
}

/** Writes `files` (name → text or bytes) into a new temporary folder; returns its path. */
export function articleFolder(files: Record<string, string | Uint8Array>, prefix = 'presswork-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}
