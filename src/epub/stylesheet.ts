// The EPUB's stylesheet is a real file of the template, beside page.css; which
// face sets which elements is the template's too (template.json, `epub.faces`),
// so the embedded subsets and the CSS that uses them come from one list.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEMPLATES_DIR } from '../layout/index.js';

export interface FaceRule {
  /** Simple selectors (`tag`, `.class`, `tag.class`), comma-separated. */
  selector: string;
  /** One of the template's fonts. */
  family: string;
  weight: number;
  /** The CSS generic family after the embedded ones: serif, sans-serif, monospace … */
  generic: string;
}

export interface EpubTemplate {
  css: string;
  /** The first face is the body face: every other falls back to it. */
  faces: FaceRule[];
}

interface TemplateManifest {
  epub?: { css?: string; faces?: FaceRule[] };
}

export function epubTemplate(template = 'newspaper', root = TEMPLATES_DIR): EpubTemplate {
  const dir = join(root, template);
  const manifest = JSON.parse(readFileSync(join(dir, 'template.json'), 'utf8')) as TemplateManifest;
  const faces = manifest.epub?.faces ?? [];
  if (faces.length === 0) throw new Error(`templates/${template}/template.json names no EPUB faces (\`epub.faces\`)`);
  return { css: readFileSync(join(dir, manifest.epub?.css ?? 'epub.css'), 'utf8'), faces };
}
