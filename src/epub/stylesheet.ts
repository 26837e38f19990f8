// The EPUB's stylesheet is a real file of the template, beside page.css.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEMPLATES_DIR } from '../layout/index.js';

export function epubStylesheet(template = 'newspaper', root = TEMPLATES_DIR): string {
  return readFileSync(join(root, template, 'epub.css'), 'utf8');
}
