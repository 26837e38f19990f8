// Chromium sets only the PDF's Title. Add the rest of the document info, an
// XMP packet that archival tools read (title, authors, language, dates,
// document ID) and a trailer /ID, without losing the tag tree or the outline:
// pdf-lib with `updateMetadata: false` keeps both and stamps nothing of its own.
// The document ID is a hash of the finished file (written with a zero ID), so
// the same page and the same SOURCE_DATE_EPOCH give the same bytes.
import { createHash } from 'node:crypto';
import { PDFDocument, PDFHexString, PDFName, type PDFRef } from 'pdf-lib';

export interface PdfMetadata {
  title: string;
  authors: string[];
  subject?: string;
  keywords?: string[];
  lang: string;
  creator: string;
  /** SOURCE_DATE_EPOCH in seconds: fixed dates for reproducible builds. */
  sourceDateEpoch?: number;
}

const ZERO_ID = '0'.repeat(32);

export async function finishPdf(raw: Uint8Array, metadata: PdfMetadata): Promise<{ pdf: Uint8Array; pages: number }> {
  const doc = await PDFDocument.load(raw, { updateMetadata: false });
  doc.setTitle(metadata.title, { showInWindowTitleBar: true });
  if (metadata.authors.length > 0) doc.setAuthor(metadata.authors.join('、'));
  if (metadata.subject) doc.setSubject(metadata.subject);
  if (metadata.keywords?.length) doc.setKeywords(metadata.keywords);
  doc.setLanguage(metadata.lang);
  doc.setCreator(metadata.creator);
  if (metadata.sourceDateEpoch !== undefined) {
    const date = new Date(metadata.sourceDateEpoch * 1000);
    doc.setCreationDate(date);
    doc.setModificationDate(date);
  }
  const facts: XmpFacts = {
    ...metadata,
    producer: doc.getProducer(),
    created: doc.getCreationDate(),
    modified: doc.getModificationDate(),
  };

  // Saved once with a zero ID; the hash of those bytes becomes the ID, written over the zeros. Every
  // place holding the ID keeps its length, so the file is what a second save with that ID would give.
  const xmpRef = doc.context.nextRef();
  setIds(doc, xmpRef, facts, ZERO_ID);
  const pdf = await doc.save({ useObjectStreams: false });
  const id = createHash('sha256').update(pdf).digest('hex').slice(0, 32);
  writeId(pdf, id);
  return { pdf, pages: doc.getPageCount() };
}

/** Writes `id` over the zero ID: the trailer's two halves, and the XMP's document and instance IDs. */
function writeId(pdf: Uint8Array, id: string): void {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  const replace = (placeholder: string, value: string, from: number, count: number): void => {
    let at = from;
    for (let n = 0; n < count; n++) {
      at = text.indexOf(placeholder, at, 'latin1');
      if (at < 0) throw new Error(`finishPdf: the saved PDF lacks its placeholder ${placeholder}`);
      text.write(value, at, 'latin1');
      at += placeholder.length;
    }
  };
  // The XMP stream is written before the trailer, which is the file's last dictionary.
  replace(`uuid:${documentUuid(ZERO_ID)}`, `uuid:${documentUuid(id)}`, 0, 2);
  replace(`<${ZERO_ID}>`, `<${id}>`, text.lastIndexOf('trailer', undefined, 'latin1'), 2);
}

interface XmpFacts extends PdfMetadata {
  producer?: string;
  created?: Date;
  modified?: Date;
}

/** The trailer /ID (permanent and changing halves alike: this is the first version) and the XMP stream. */
function setIds(doc: PDFDocument, xmpRef: PDFRef, facts: XmpFacts, id: string): void {
  doc.context.trailerInfo.ID = doc.context.obj([PDFHexString.of(id), PDFHexString.of(id)]);
  // Uncompressed, as PDF/A asks, so tools that scan for the packet find it.
  const stream = doc.context.stream(new TextEncoder().encode(xmpPacket(facts, documentUuid(id))), { Type: 'Metadata', Subtype: 'XML' });
  doc.context.assign(xmpRef, stream);
  doc.catalog.set(PDFName.of('Metadata'), xmpRef);
}

/** 32 hex digits as a UUID (RFC 4122 layout, version 5 bits: a name-based ID). */
function documentUuid(hex: string): string {
  const bytes = Buffer.from(hex, 'hex');
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** ISO 8601 in UTC, as XMP dates are written; the Info dictionary holds the same instant. */
function xmpDate(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

export function xmpPacket(facts: XmpFacts, uuid: string): string {
  const list = (kind: 'Seq' | 'Bag', items: string[]) => [`<rdf:${kind}>`, ...items.map((item) => `<rdf:li>${escapeXml(item)}</rdf:li>`), `</rdf:${kind}>`].join('');
  const alt = (value: string) => `<rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(value)}</rdf:li><rdf:li xml:lang="${escapeXml(facts.lang)}">${escapeXml(value)}</rdf:li></rdf:Alt>`;
  const keywords = facts.keywords ?? [];
  const lines = [
    '<dc:format>application/pdf</dc:format>',
    `<dc:title>${alt(facts.title)}</dc:title>`,
    ...(facts.authors.length > 0 ? [`<dc:creator>${list('Seq', facts.authors)}</dc:creator>`] : []),
    ...(facts.subject ? [`<dc:description>${alt(facts.subject)}</dc:description>`] : []),
    ...(keywords.length > 0 ? [`<dc:subject>${list('Bag', keywords)}</dc:subject>`, `<pdf:Keywords>${escapeXml(keywords.join(' '))}</pdf:Keywords>`] : []),
    `<dc:language>${list('Bag', [facts.lang])}</dc:language>`,
    ...(facts.producer ? [`<pdf:Producer>${escapeXml(facts.producer)}</pdf:Producer>`] : []),
    `<xmp:CreatorTool>${escapeXml(facts.creator)}</xmp:CreatorTool>`,
    ...(facts.created ? [`<xmp:CreateDate>${xmpDate(facts.created)}</xmp:CreateDate>`] : []),
    ...(facts.modified ? [`<xmp:ModifyDate>${xmpDate(facts.modified)}</xmp:ModifyDate>`, `<xmp:MetadataDate>${xmpDate(facts.modified)}</xmp:MetadataDate>`] : []),
    `<xmpMM:DocumentID>uuid:${uuid}</xmpMM:DocumentID>`,
    `<xmpMM:InstanceID>uuid:${uuid}</xmpMM:InstanceID>`,
  ];
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">',
    ...lines,
    '</rdf:Description>',
    '</rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="w"?>',
  ].join('\n');
}
