import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * presswork's own folder, the one with its package.json (and templates/): the nearest above this module.
 * The compiled modules (dist/…) and the bundled command (dist/bundle/) sit at different depths below it.
 */
export const PACKAGE_ROOT: string = packageRoot(dirname(fileURLToPath(import.meta.url)));

/** presswork's own version, as package.json states it. */
export const PRESSWORK_VERSION: string = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`presswork's package.json is in no folder above ${from}`);
  }
}
