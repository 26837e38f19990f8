// Archival builds: the seed built by the CLI in two project folders, in two
// time zones, seconds apart, with the same SOURCE_DATE_EPOCH, gives
// byte-identical PDF and EPUB; the PDF carries XMP metadata and a document ID
// and keeps its tags and outline; the manifest reports the EPUB's fonts.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRawStream, PDFString, decodePDFRawStream } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'bin', 'presswork.js');
const slug = '000_952877358d78f3b2';
const EPOCH = '1700000000'; // 2023-11-14T22:13:20Z

interface Built {
  dir: string;
  manifest: {
    articles: Array<{ outputs: Record<string, { path: string; bytes: number; sha256: string; pages?: number; fonts?: { files: number; bytes: number } }>; messages: Array<{ rule: string; severity: string; message: string }> }>;
  };
  file: (ext: string) => Buffer;
}

const parent = mkdtempSync(join(tmpdir(), 'presswork-archive-'));
const builds: Built[] = [];

/** A project folder of its own with the seed in content/, built with `presswork build`. */
function buildIn(name: string, tz: string): Built {
  const dir = join(parent, name);
  mkdirSync(join(dir, 'content'), { recursive: true });
  cpSync(join(root, 'content', `${slug}.md`), join(dir, 'content', `${slug}.md`));
  // A link to a path: the print page is loaded from a temporary folder, which such a link must not reach into the PDF.
  appendFileSync(join(dir, 'content', `${slug}.md`), '\n参见[上一篇](other.md)。\n');
  cpSync(join(root, 'presswork.config.yml'), join(dir, 'presswork.config.yml'));
  const result = spawnSync(process.execPath, [cli, 'build', '--out', 'output', '--json'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, SOURCE_DATE_EPOCH: EPOCH, TZ: tz },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`build in ${dir} exited ${result.status}: ${result.stderr}`);
  return {
    dir,
    manifest: JSON.parse(readFileSync(join(dir, 'output', 'manifest.json'), 'utf8')) as Built['manifest'],
    file: (ext) => readFileSync(join(dir, 'output', slug, `${slug}.${ext}`)),
  };
}

beforeAll(() => {
  builds.push(buildIn('first', 'UTC'));
  builds.push(buildIn('second', 'Asia/Shanghai'));
});
afterAll(() => rmSync(parent, { recursive: true, force: true }));

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('reproducible builds', () => {
  it('give byte-identical PDF and EPUB in two folders and two time zones', () => {
    const [first, second] = builds;
    if (!first || !second) throw new Error('builds missing');
    for (const ext of ['pdf', 'epub']) {
      expect(sha256(second.file(ext)), ext).toBe(sha256(first.file(ext)));
      expect(first.manifest.articles[0]?.outputs[ext]?.sha256).toBe(sha256(first.file(ext)));
    }
    // Not two empty files: real outputs.
    expect(first.file('pdf').byteLength).toBeGreaterThan(100_000);
    expect(first.file('epub').byteLength).toBeGreaterThan(100_000);
  });

  it('report the EPUB font payload and the incomplete archival metadata of the seed in the manifest', () => {
    const article = builds[0]?.manifest.articles[0];
    const epub = article?.outputs.epub;
    expect(epub?.fonts?.files).toBeGreaterThan(10);
    expect(epub?.fonts?.bytes).toBeGreaterThan(100_000);
    expect(epub?.fonts?.bytes).toBeLessThan(600_000);
    expect(epub?.pages).toBe(1);
    const warning = article?.messages.find((message) => message.rule === 'archival-metadata');
    expect(warning?.severity).toBe('warning');
    expect(warning?.message).toMatch(/^archival metadata incomplete/);
  });
});

describe('the archival PDF', async () => {
  const load = async () => PDFDocument.load(builds[0]?.file('pdf') ?? Buffer.alloc(0), { updateMetadata: false });

  it('has a trailer /ID derived from its content, and XMP naming the same document', async () => {
    const doc = await load();
    const ids = doc.context.trailerInfo.ID;
    expect(ids).toBeInstanceOf(PDFArray);
    const [permanent, changing] = (ids as PDFArray).asArray().map((value) => (value as PDFHexString).asString());
    expect(permanent).toMatch(/^[0-9A-Fa-f]{32}$/);
    expect(permanent).not.toBe('0'.repeat(32));
    expect(changing).toBe(permanent);
    const xmp = xmpOf(doc);
    const uuid = (permanent ?? '').toLowerCase().replace(/^(.{8})(.{4}).(.{3}).(.{3})(.{12})$/, '$1-$2-5$3-.$4-$5');
    expect(xmp).toMatch(new RegExp(`<xmpMM:DocumentID>uuid:${uuid.replace('.', '[89ab]')}</xmpMM:DocumentID>`));
    // The ID is the hash of the file as written with a zero ID: zeroing it again gives those bytes back.
    const file = Buffer.from(builds[0]?.file('pdf') ?? Buffer.alloc(0)).toString('latin1');
    const documentUuid = /<xmpMM:DocumentID>uuid:([0-9a-f-]{36})</.exec(file)?.[1] ?? '';
    const zeroed = file
      .replaceAll(`<${permanent}>`, `<${'0'.repeat(32)}>`)
      .replaceAll(`uuid:${documentUuid}`, 'uuid:00000000-0000-5000-8000-000000000000');
    expect(zeroed).not.toBe(file);
    expect(createHash('sha256').update(Buffer.from(zeroed, 'latin1')).digest('hex').slice(0, 32)).toBe(permanent?.toLowerCase());
  });

  it('carries title, authors, language, description, tool and dates in XMP, agreeing with the document info', async () => {
    const doc = await load();
    const xmp = xmpOf(doc);
    expect(xmp).toContain('<dc:title><rdf:Alt><rdf:li xml:lang="x-default">努力实现服务职工零距离</rdf:li><rdf:li xml:lang="zh-CN">努力实现服务职工零距离</rdf:li></rdf:Alt></dc:title>');
    expect(xmp).toContain('<dc:creator><rdf:Seq><rdf:li>王路曼</rdf:li><rdf:li>陈曦</rdf:li><rdf:li>马超</rdf:li><rdf:li>李一然</rdf:li></rdf:Seq></dc:creator>');
    expect(xmp).toContain('<dc:language><rdf:Bag><rdf:li>zh-CN</rdf:li></rdf:Bag></dc:language>');
    expect(xmp).toContain('<dc:description><rdf:Alt><rdf:li xml:lang="x-default">市委党的群团工作会议在首都企业工会引起强烈反响</rdf:li>');
    expect(xmp).toMatch(/<xmp:CreatorTool>presswork \d+\.\d+\.\d+<\/xmp:CreatorTool>/);
    expect(xmp).toContain('<xmp:CreateDate>2023-11-14T22:13:20Z</xmp:CreateDate>');
    expect(xmp).toContain('<xmp:ModifyDate>2023-11-14T22:13:20Z</xmp:ModifyDate>');
    expect(xmp).toContain(`<pdf:Producer>${doc.getProducer()}</pdf:Producer>`);
    // The sample config's paper and section are not keywords of the archive.
    expect(xmp).not.toContain('示例日报');
    expect(doc.getTitle()).toBe('努力实现服务职工零距离');
    expect(doc.getAuthor()).toBe('王路曼、陈曦、马超、李一然');
    expect(doc.getSubject()).toBe('市委党的群团工作会议在首都企业工会引起强烈反响');
    expect(doc.getCreator()).toMatch(/^presswork \d+\.\d+\.\d+$/);
    expect(doc.getCreationDate()?.toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect((doc.catalog.get(PDFName.of('Lang')) as PDFString).decodeText()).toBe('zh-CN');
  });

  it('keeps the tag tree and the outline after the metadata is written', async () => {
    const doc = await load();
    expect(doc.catalog.get(PDFName.of('StructTreeRoot'))).toBeDefined();
    const markInfo = doc.catalog.lookup(PDFName.of('MarkInfo'), PDFDict);
    expect(markInfo.get(PDFName.of('Marked'))?.toString()).toBe('true');
    const outlines = doc.catalog.lookup(PDFName.of('Outlines'), PDFDict);
    expect(Number(outlines.get(PDFName.of('Count'))?.toString() ?? 0)).not.toBe(0);
  });
});

function xmpOf(doc: PDFDocument): string {
  const stream = doc.catalog.lookup(PDFName.of('Metadata'));
  if (!(stream instanceof PDFRawStream)) throw new Error('the PDF has no XMP metadata stream');
  expect(stream.dict.get(PDFName.of('Subtype'))?.toString()).toBe('/XML');
  expect(stream.dict.get(PDFName.of('Filter'))).toBeUndefined();
  return new TextDecoder().decode(decodePDFRawStream(stream).decode());
}
