// The zip as an archive wants it: `mimetype` first and stored, then the files
// in a fixed order, each with the same fixed date, so one input gives one
// byte sequence.
import JSZip from 'jszip';

export interface ArchiveEntry {
  /** Its name in the EPUB. */
  name: string;
  data: string | Uint8Array;
  /** Already compressed (a PNG): stored as is, deflating it again costs time and saves nothing. */
  stored?: boolean;
}

/** DOS dates, which zip keeps, start in 1980 and end in 2107. */
const ZIP_FIRST = Date.UTC(1980, 0, 1);
const ZIP_LAST = Date.UTC(2107, 11, 31, 23, 59, 58);

/** Packs `entries` in their order, `mimetype` first and stored, every entry dated `modified`. */
export async function pack(entries: ArchiveEntry[], modified: string): Promise<Uint8Array> {
  if (entries[0]?.name !== 'mimetype') throw new Error('the first entry of an EPUB must be `mimetype`');
  const names = new Set<string>();
  const date = zipDate(modified);
  const output = new JSZip();
  for (const entry of entries) {
    if (names.has(entry.name)) throw new Error(`two EPUB entries are named ${entry.name}`);
    names.add(entry.name);
    output.file(entry.name, entry.data, {
      date,
      createFolders: false,
      binary: typeof entry.data !== 'string',
      compression: entry.name === 'mimetype' || entry.stored ? 'STORE' : 'DEFLATE',
    });
  }
  return output.generateAsync({
    type: 'uint8array',
    mimeType: 'application/epub+zip',
    compression: 'DEFLATE',
    compressionOptions: { level: 9 },
    platform: 'DOS',
  });
}

/** `modified` as a zip entry date (JSZip writes it in UTC), clamped to what zip can hold. */
export function zipDate(modified: string): Date {
  const time = Date.parse(modified);
  if (Number.isNaN(time)) throw new Error(`not a date: ${modified}`);
  return new Date(Math.min(Math.max(time, ZIP_FIRST), ZIP_LAST));
}
