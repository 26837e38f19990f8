// Chromium sets only the PDF's Title. Add the rest of the document info
// without losing the tag tree or the outline: pdf-lib with
// `updateMetadata: false` keeps both and stamps nothing of its own.
import { PDFDocument } from 'pdf-lib';

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
  const pdf = await doc.save({ useObjectStreams: false });
  return { pdf, pages: doc.getPageCount() };
}
