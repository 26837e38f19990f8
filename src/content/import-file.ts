// `presswork import`: a plain-text file → Markdown with front matter.
import { readFile } from 'node:fs/promises';
import { decodeSource } from './decode.js';
import { formatJoin, importText } from './import-text.js';

export interface ImportOutcome {
  markdown: string;
  /** One line per repair, for stderr. */
  report: string[];
}

export async function importFile(path: string): Promise<ImportOutcome> {
  const text = decodeSource(await readFile(path), path);
  const result = importText(text, { source: path });
  return { markdown: result.markdown, report: result.joins.map((join) => formatJoin(join, path)) };
}
