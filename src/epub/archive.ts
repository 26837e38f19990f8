// The zip as an archive wants it: `mimetype` first and stored, then the files
// in a fixed order, each with the same fixed date, so one input gives one
// byte sequence. (epub-gen-memory stamps every entry with the clock.)
import JSZip from 'jszip';

export interface ArchiveEntry {
  /** The entry's name in the zip epub-gen-memory wrote. */
  from: string;
  /** Its name in the EPUB. */
  to: string;
}

/** DOS dates, which zip keeps, start in 1980 and end in 2107. */
const ZIP_FIRST = Date.UTC(1980, 0, 1);
const ZIP_LAST = Date.UTC(2107, 11, 31, 23, 59, 58);

/**
 * Re-packs `source` with exactly `entries`, in their order. A file in the
 * source that is not listed is an error: nothing may slip in unseen (a
 * fetched image, say).
 */
export async function repack(source: Uint8Array, entries: ArchiveEntry[], modified: string): Promise<Uint8Array> {
  const input = await JSZip.loadAsync(source);
  const present = Object.values(input.files)
    .filter((file) => !file.dir)
    .map((file) => file.name)
    .sort();
  const expected = entries.map((entry) => entry.from).sort();
  if (present.join('\n') !== expected.join('\n')) {
    throw new Error(`epub-gen-memory wrote [${present.join(', ')}], expected [${expected.join(', ')}]`);
  }
  if (entries[0]?.to !== 'mimetype') throw new Error('the first entry of an EPUB must be `mimetype`');

  const date = zipDate(modified);
  const output = new JSZip();
  for (const entry of entries) {
    const file = input.file(entry.from);
    if (!file) throw new Error(`missing ${entry.from}`);
    output.file(entry.to, await file.async('uint8array'), {
      date,
      createFolders: false,
      binary: true,
      compression: entry.to === 'mimetype' ? 'STORE' : 'DEFLATE',
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
