// YAML at the edge (front matter, project config) → typed data, or a message
// that names the file, the line and the fix.
import { closest } from 'fastest-levenshtein';
import type { VFile } from 'vfile';
import { isAlias, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, visit, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';

/** Line of each value in a YAML block, by dotted path (`photos.0`, `headline`). */
export type YamlLines = Record<string, number>;

export interface YamlBlock {
  text: string;
  /** 1-based line of the block's first line within the file. */
  firstLine: number;
}

/**
 * Parses and validates `block`. On failure, `file.fail` throws a VFileMessage
 * (rule `front-matter`), placed on the offending line.
 */
export function validateYaml<S extends z.ZodType>(schema: S, block: YamlBlock, file: VFile, ruleId: string): z.infer<S> {
  return validateYamlWithLines(schema, block, file, ruleId).data;
}

/** As validateYaml, and where each value stands, so later messages can point at it. */
export function validateYamlWithLines<S extends z.ZodType>(
  schema: S,
  block: YamlBlock,
  file: VFile,
  ruleId: string,
): { data: z.infer<S>; lines: YamlLines } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(block.text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const line = (offset: number | undefined) =>
    offset === undefined ? block.firstLine : block.firstLine + lineCounter.linePos(offset).line - 1;

  const yamlError = doc.errors[0];
  if (yamlError) {
    fail(file, ruleId, line(yamlError.pos[0]), `${firstSentence(yamlError.message)} is not valid YAML`, 'check the indentation and quote values that contain ":" or "#"');
  }
  // YAML reads a value that starts with & or * as an anchor or an alias: `headline: &号外 今日要闻` would
  // lose its first word, `headline: *号外` fails later with no line. Front matter needs neither.
  visit(doc, (_key, node) => {
    if (!isNode(node)) return;
    const mark = isAlias(node) ? `*${node.source}` : node.anchor !== undefined ? `&${node.anchor}` : undefined;
    if (mark === undefined) return;
    fail(file, ruleId, line(node.range?.[0]), `\`${mark}\` is read by YAML as ${isAlias(node) ? 'an alias' : 'an anchor'}, not as text`, 'put the value in quotes: `"' + mark + '…"`');
  });
  const data: unknown = doc.toJS() ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    fail(file, ruleId, block.firstLine, 'the block is not a mapping of keys to values', 'write one `key: value` per line');
  }

  const result = schema.safeParse(data);
  if (result.success) {
    const lines: YamlLines = {};
    // Every key and list item, at any depth: where later messages point (`photos.2`, `pages.1.articles.0`).
    const record = (node: unknown, prefix: string): void => {
      if (isMap(node)) {
        for (const pair of node.items) {
          if (!isScalar(pair.key)) continue;
          const path = `${prefix}${String(pair.key.value)}`;
          lines[path] = line(pair.key.range?.[0]);
          record(pair.value, `${path}.`);
        }
      } else if (isSeq(node)) {
        node.items.forEach((item, index) => {
          lines[`${prefix}${index}`] = line((item as YamlNode).range?.[0]);
          record(item, `${prefix}${index}.`);
        });
      }
    };
    record(doc.contents, '');
    return { data: result.data as z.infer<S>, lines };
  }

  // A misspelt key also leaves its right name missing: report the misspelling, it explains both.
  const issues = result.error.issues;
  const issue = issues.find((candidate) => candidate.code === 'unrecognized_keys') ?? issues[0]!;
  const path = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const known = knownKeys(schema, path);
    const suggestion = known.length > 0 ? closest(key, known) : undefined;
    const keyNode = findKeyNode(doc.getIn(path, true), key) ?? (path.length === 0 ? findKeyNode(doc.contents, key) : undefined);
    fail(
      file,
      ruleId,
      line(keyNode?.range?.[0]),
      `unknown key \`${[...path, key].join('.')}\``,
      suggestion ? `did you mean \`${suggestion}\`? (known keys: ${known.join(', ')})` : `remove it`,
    );
  }
  const node = nearestNode(doc, path);
  const where = path.length > 0 ? `\`${path.join('.')}\`` : 'the block';
  const missing = doc.getIn(path) === undefined;
  const message = missing ? 'is required' : issue.message.replace(/^Invalid input: /, '');
  fail(file, ruleId, line(node?.range?.[0]), `${where} ${message}`, fixFor(path, missing));
}

function fail(file: VFile, ruleId: string, line: number, reason: string, fix: string): never {
  const message = file.fail(`${reason}; ${fix}`, { place: { line, column: 1 }, ruleId, source: 'presswork' });
  throw message; // unreachable: file.fail throws; keeps the type checker honest
}

function firstSentence(message: string): string {
  return message.split(/\n|(?<=\.) /)[0]?.replace(/\.$/, '') ?? message;
}

function fixFor(path: Array<string | number>, missing: boolean): string {
  const key = path[0];
  if (missing) return `add \`${path.join('.')}: …\``;
  if (key === 'date') return 'write the date as YYYY-MM-DD, e.g. `date: 2026-11-29`';
  if (key === 'photos') return 'write photos as a list: `photos:` then `  - caption: …` (with `name`, `src`, `credit` optional)';
  if (key === 'authors') return 'write authors as a list: `authors: [王路曼, 陈曦]`';
  if (key === 'pages') return 'each page is `- section: 要闻` with `articles:` listing its article files (`- lead.md`), and optionally `page: A01` (版次)';
  return 'correct the value';
}

function knownKeys(schema: z.ZodType, path: Array<string | number>): string[] {
  let current: unknown = schema;
  for (const key of path) {
    current = unwrap(current);
    if (typeof key === 'number') current = (current as { element?: unknown }).element;
    else current = (current as { shape?: Record<string, unknown> }).shape?.[key];
  }
  const shape = (unwrap(current) as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape) : [];
}

/** Looks through optional/default wrappers (and a preprocessing pipe) to the schema inside. */
function unwrap(schema: unknown): unknown {
  let current = schema as { unwrap?: () => unknown; def?: { innerType?: unknown; out?: unknown } } | undefined;
  while (current?.def?.innerType ?? current?.def?.out) current = (current.def.innerType ?? current.def.out) as typeof current;
  return current;
}

function findKeyNode(node: unknown, key: string): YamlNode | undefined {
  if (!isMap(node)) return undefined;
  for (const pair of node.items) {
    if (isScalar(pair.key) && pair.key.value === key) return pair.key;
  }
  return undefined;
}

/** The deepest node of `path` that exists in the document. */
function nearestNode(doc: ReturnType<typeof parseDocument>, path: Array<string | number>): YamlNode | undefined {
  for (let depth = path.length; depth > 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true) as YamlNode | undefined;
    if (node && typeof node === 'object' && 'range' in node) return node;
  }
  return undefined;
}
