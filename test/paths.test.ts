// What counts as inside a folder, and as a URL rather than a path: the page's
// request guard, the photos, the EPUB's images and the dev server share these.
import { describe, expect, it } from 'vitest';
import { pathInside, urlScheme } from '../src/paths.js';

describe('pathInside', () => {
  it('gives the path inside the folder, empty for the folder itself', () => {
    expect(pathInside('/news/content', '/news/content/photos/a.jpg')).toBe('photos/a.jpg');
    expect(pathInside('/news/content', '/news/content')).toBe('');
  });

  it('keeps a name that only starts with two dots, and refuses what lies above or beside the folder', () => {
    expect(pathInside('/news/content', '/news/content/..drafts/a.jpg')).toBe('..drafts/a.jpg');
    expect(pathInside('/news/content', '/news/secret.txt')).toBeUndefined();
    expect(pathInside('/news/content', '/news/content-old/a.jpg')).toBeUndefined();
    expect(pathInside('/news/content', '/news/content/../secret.txt')).toBeUndefined();
  });
});

describe('urlScheme', () => {
  it('names the scheme in lower case, and nothing for a path', () => {
    expect(urlScheme('HTTPS://example.com/a.jpg')).toBe('https');
    expect(urlScheme('data:image/png;base64,AAAA')).toBe('data');
    expect(urlScheme('file:///etc/hostname')).toBe('file');
    expect(urlScheme('photos/a.jpg')).toBeUndefined();
    expect(urlScheme('./a:b.jpg')).toBeUndefined();
    expect(urlScheme('//example.com/a.jpg')).toBeUndefined();
  });
});
