// Building EPUBs from Markdown in tests the way the build does, and reading them back.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Element, Root } from 'hast';
import JSZip from 'jszip';
import rehypeParse from 'rehype-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { VFile } from 'vfile';
import { parse as parseYaml } from 'yaml';
import type { RunningHead } from '../../src/content/load.js';
import { frontMatterSchema, type FrontMatter } from '../../src/content/schema.js';
import type { EpubInput } from '../../src/epub/index.js';
import { loadTemplate } from '../../src/layout/index.js';
import { createArticleProcessor, transformArticle } from '../../src/transform/index.js';
import { epubcheck, type EpubcheckResult } from './epubcheck.js';

const processor = createArticleProcessor();
export const templateFonts = loadTemplate().fonts;

/** Markdown with a front matter block → the input buildEpub gets from the build. */
export async function inputFrom(markdown: string, extra: Partial<EpubInput> = {}): Promise<EpubInput & { file: VFile }> {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(markdown);
  const frontMatter: FrontMatter = frontMatterSchema.parse(match ? parseYaml(match[1] ?? '') : { headline: '标题' });
  const file = new VFile({ path: 'story.md', value: markdown });
  file.data.frontMatter = frontMatter;
  const tree = await transformArticle(processor, file);
  const runningHead: RunningHead = { sampleFields: [] };
  return {
    tree,
    frontMatter,
    slug: frontMatter.slug ?? 'story',
    sectionHeads: file.data.sectionHeads ?? [],
    runningHead,
    creator: 'presswork 0.1.0',
    sourceDateEpoch: 1_700_000_000,
    fonts: templateFonts,
    file,
    ...extra,
  };
}

export interface Unpacked {
  bytes: Uint8Array;
  names: string[];
  text: Map<string, string>;
  binary: Map<string, Uint8Array>;
}

export async function unpack(bytes: Uint8Array): Promise<Unpacked> {
  const zip = await JSZip.loadAsync(bytes);
  const names = Object.keys(zip.files);
  const text = new Map<string, string>();
  const binary = new Map<string, Uint8Array>();
  for (const name of names) {
    const entry = zip.file(name);
    if (!entry) continue;
    if (/\.(ttf|png|jpg|gif)$/.test(name)) binary.set(name, await entry.async('uint8array'));
    else text.set(name, await entry.async('string'));
  }
  return { bytes, names, text, binary };
}

export function entry(book: Unpacked, name: string): string {
  const value = book.text.get(name);
  if (value === undefined) throw new Error(`${name} is not in the EPUB (it has ${book.names.join(', ')})`);
  return value;
}

/** Runs EPUBCheck on the bytes and returns its fatal errors, errors and warnings. */
export async function epubcheckBytes(bytes: Uint8Array, dir: string, name: string): Promise<EpubcheckResult> {
  const path = join(dir, `${name}.epub`);
  writeFileSync(path, bytes);
  return epubcheck(path);
}

export function elements(tree: Root | Element, test: (node: Element) => boolean): Element[] {
  const found: Element[] = [];
  visit(tree, 'element', (node: Element) => {
    if (test(node)) found.push(node);
  });
  return found;
}

export function parseXhtml(markup: string): Root {
  return unified().use(rehypeParse).parse(markup);
}

/** A 1 × 1 PNG, for a cover where the page render does not matter. */
export const TINY_PNG = Uint8Array.from(
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'),
);
