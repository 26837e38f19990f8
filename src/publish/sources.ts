// `paths…` on the command line → the article files, in a stable order.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { glob } from 'tinyglobby';

export const DEFAULT_CONTENT_DIR = 'content';

export class UsageError extends Error {
  override name = 'UsageError';
}

export async function collectSources(paths: string[], cwd: string): Promise<string[]> {
  const wanted = paths.length > 0 ? paths : [DEFAULT_CONTENT_DIR];
  const sources: string[] = [];
  for (const path of wanted) {
    const absolute = resolve(cwd, path);
    const info = await stat(absolute).catch(() => undefined);
    if (!info) throw new UsageError(`${path}: no such file or folder`);
    if (info.isDirectory()) {
      const found = await glob(['**/*.md', '**/*.markdown'], { cwd: absolute, absolute: true, ignore: ['**/node_modules/**'] });
      if (found.length === 0) throw new UsageError(`${path}: no Markdown articles (*.md) in this folder`);
      sources.push(...found.sort());
    } else {
      sources.push(absolute);
    }
  }
  return [...new Set(sources)];
}
