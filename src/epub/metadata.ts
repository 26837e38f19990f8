// The EPUB's package metadata, decided from the article alone: nothing here
// reads the clock or a random source, so a rebuild writes the same values.
import { createHash } from 'node:crypto';
import type { Element, Root } from 'hast';
import { toText } from 'hast-util-to-text';
import { visit } from 'unist-util-visit';
import type { RunningHead } from '../content/load.js';
import { deckSummary, type FrontMatter } from '../content/schema.js';
import { formatPageNumber } from '../layout/index.js';

export interface EpubMetadata {
  /** `urn:uuid:…`, name-based on paper + date + slug, else on the slug and the article text. */
  identifier: string;
  title: string;
  lang: string;
  authors: string[];
  description?: string;
  /** `dc:publisher`: the paper. */
  publisher?: string;
  /** `dc:subject`: the paper's section (版面). */
  subject?: string;
  /** `dc:source`: the printed edition — paper, date, 版次. */
  source?: string;
  /** `dc:date`: the article's own publication date (YYYY-MM-DD). */
  date?: string;
  /** `dcterms:modified`, `CCYY-MM-DDThh:mm:ssZ`. */
  modified: string;
  /** The software that made the file, e.g. `presswork 0.1.0`. */
  generator: string;
  /** What an archive would want and the article does not say (paper, date); empty when complete. */
  missing: Array<'paper' | 'date'>;
}

export interface MetadataInput {
  tree: Root;
  frontMatter: FrontMatter;
  slug: string;
  runningHead: RunningHead;
  creator: string;
  sourceDateEpoch?: number;
}

/** RFC 4122 URL namespace: the identifiers are names, not random draws. */
export const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/** Where time starts when an article has no date and no SOURCE_DATE_EPOCH: the ZIP epoch. */
export const FALLBACK_MODIFIED = '1980-01-01T00:00:00Z';

export function epubMetadata(input: MetadataInput): EpubMetadata {
  const { frontMatter, runningHead } = input;
  assertLanguageTag(frontMatter.lang);
  // Values from a sample config are placeholders: the archive must not record them.
  const real = <K extends 'paper' | 'date' | 'page' | 'section'>(key: K): RunningHead[K] | undefined =>
    runningHead[key] !== undefined && !runningHead.sampleFields.includes(key) ? runningHead[key] : undefined;
  const date = frontMatter.date ?? real('date');
  const publisher = real('paper');
  const subject = real('section');
  const page = real('page');
  const modified = modifiedDate(input.sourceDateEpoch, date);
  const description = describe(frontMatter, input.tree);
  const missing = [...(publisher === undefined ? (['paper'] as const) : []), ...(date === undefined ? (['date'] as const) : [])];
  // A rebuild keeps the identifier of a known edition, even after a correction; without one, the text names the book.
  const identifier =
    publisher !== undefined && date !== undefined
      ? uuidV5(`presswork:edition:${publisher}:${date}:${input.slug}`, URL_NAMESPACE)
      : articleUuid(input.slug, input.tree);
  const source = publisher === undefined ? undefined : [publisher, date, page === undefined ? undefined : formatPageNumber(page)].filter(Boolean).join(' ');
  return {
    identifier: `urn:uuid:${identifier}`,
    title: frontMatter.headline,
    lang: frontMatter.lang,
    authors: frontMatter.authors ?? [],
    ...(description === undefined ? {} : { description }),
    ...(publisher === undefined ? {} : { publisher }),
    ...(subject === undefined ? {} : { subject }),
    ...(source === undefined ? {} : { source }),
    ...(date === undefined ? {} : { date }),
    modified,
    generator: input.creator,
    missing,
  };
}

/** dc:language and xml:lang take a BCP 47 tag; anything else makes an invalid EPUB. */
export function assertLanguageTag(lang: string): void {
  try {
    Intl.getCanonicalLocales(lang);
  } catch {
    throw new Error(`lang "${lang}" is not a BCP 47 language tag (write e.g. zh-CN, zh-Hant-TW, en)`);
  }
}

/** The same slug and text give the same UUID; a changed text gives a new one. */
export function articleUuid(slug: string, tree: Root): string {
  const textHash = createHash('sha256').update(toText(tree), 'utf8').digest('hex');
  return uuidV5(`presswork:article:${slug}:${textHash}`, URL_NAMESPACE);
}

/** A name-based (version 5, SHA-1) UUID as in RFC 4122 §4.3. */
export function uuidV5(name: string, namespace: string): string {
  const namespaceBytes = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (namespaceBytes.length !== 16) throw new Error(`not a UUID: ${namespace}`);
  const bytes = createHash('sha1').update(namespaceBytes).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
}

/** SOURCE_DATE_EPOCH, else the article's date at midnight UTC, else the ZIP epoch — never the clock. */
export function modifiedDate(sourceDateEpoch: number | undefined, date: string | undefined): string {
  if (sourceDateEpoch !== undefined) {
    if (!Number.isInteger(sourceDateEpoch) || sourceDateEpoch < 0) {
      throw new Error(`SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, got ${sourceDateEpoch}`);
    }
    const instant = new Date(sourceDateEpoch * 1000);
    if (Number.isNaN(instant.getTime())) throw new Error(`SOURCE_DATE_EPOCH is out of range: ${sourceDateEpoch}`);
    return `${instant.toISOString().slice(0, 19)}Z`;
  }
  if (date !== undefined) return `${date}T00:00:00Z`;
  return FALLBACK_MODIFIED;
}

/** 副题 without its leading dashes, else the first paragraph of the body. */
export function describe(frontMatter: FrontMatter, tree: Root): string | undefined {
  if (frontMatter.deck !== undefined) {
    const deck = deckSummary(frontMatter.deck);
    if (deck !== '') return deck;
  }
  let first: string | undefined;
  visit(tree, 'element', (node: Element) => {
    if (first !== undefined) return false;
    if (!hasClass(node, 'article-body')) return undefined;
    visit(node, 'element', (child: Element) => {
      if (first !== undefined) return false;
      if (child.tagName !== 'p') return undefined;
      const text = toText(child).trim();
      if (text !== '') first = text;
      return 'skip';
    });
    return 'skip';
  });
  return first;
}

export function hasClass(node: Element, name: string): boolean {
  const value = node.properties.className;
  return Array.isArray(value) ? value.includes(name) : value === name;
}
