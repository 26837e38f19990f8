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
