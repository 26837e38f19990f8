import { isAbsolute, relative, sep } from 'node:path';

/**
 * Where `path` lies inside `folder`: its relative path, '' for the folder itself, or undefined when it
 * lies outside (above it, or on another root). Both are taken as given: resolve symlinks first where
 * a link must not lead out.
 */
export function pathInside(folder: string, path: string): string | undefined {
  const rest = relative(folder, path);
  return rest === '..' || rest.startsWith(`..${sep}`) || isAbsolute(rest) ? undefined : rest;
}

/** The scheme a URL starts with (`https`, `data`, `file` …), in lower case; undefined for a path. */
export function urlScheme(src: string): string | undefined {
  return /^([a-z][a-z0-9+.-]*):/i.exec(src)?.[1]?.toLowerCase();
}

/**
 * The path an image's `src` names. Markdown image URLs reach the HTML percent-encoded (`图片/会场.jpg`
 * becomes `%E5%9B%BE…`, a space `%20`); raw HTML's `src` stays as written. A `%` that does not start
 * an escape (`100%.jpg`) is a character of the name.
 */
export function srcPath(src: string): string {
  try {
    return decodeURI(src);
  } catch {
    return src;
  }
}
