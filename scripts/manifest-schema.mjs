// Writes manifest.schema.json (shipped in the package) from the zod schema in
// src/publish/manifest.ts; a test fails when the two drift apart.
import { writeFileSync } from 'node:fs';
import { manifestJsonSchema } from '../dist/publish/manifest.js';

const path = new URL('../manifest.schema.json', import.meta.url);
writeFileSync(path, `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`);
process.stderr.write(`wrote ${path.pathname}\n`);
