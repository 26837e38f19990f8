// A 5 MB article through a real build: does it finish or fail clearly within
// its time limit, without hanging, and how long does each part take?
//   npx -y tsx@4.23.15 bench/large-article.mts [megabytes=5] [timeout-seconds=180]
// Too slow for the test suite; the suite tests the size limit itself (test/large-article.test.ts).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from '../src/publish/build.js';

const megabytes = Number(process.argv[2] ?? 5);
const timeoutSeconds = Number(process.argv[3] ?? 180);
const seed = readFileSync(fileURLToPath(new URL('../test/fixtures/seed/000_952877358d78f3b2.txt', import.meta.url)), 'utf8');
const paragraphs = seed.split(/\n\s*\n/).map((block) => block.trim()).filter((block) => block.length > 40);

const parts: string[] = ['---', 'headline: 五兆字节的长稿', '---', ''];
let bytes = 0;
for (let index = 0; bytes < megabytes * 1024 * 1024; index++) {
  const paragraph = paragraphs[index % paragraphs.length]!;
  parts.push(paragraph, '');
  bytes += Buffer.byteLength(paragraph) + 2;
}
const dir = mkdtempSync(join(tmpdir(), 'presswork-bench-'));
writeFileSync(join(dir, 'large.md'), parts.join('\n'));
console.log(`article: ${(bytes / 1024 / 1024).toFixed(2)} MB, ${parts.length / 2 - 2} paragraphs`);

const started = performance.now();
try {
  const report = await build({
    paths: [join(dir, 'large.md')],
    cwd: dir,
    outDir: join(dir, 'output'),
    formats: ['pdf', 'epub'],
    write: true,
    articleTimeoutMs: timeoutSeconds * 1000,
    onArticle: ({ phase }) => console.log(`${((performance.now() - started) / 1000).toFixed(1)} s: article ${phase}`),
  });
  const [article] = report.articles;
  console.log(`outcome: ${article?.ok ? 'built' : 'failed'} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  for (const message of article?.messages ?? []) console.log(`  ${message.severity} ${message.rule}: ${message.message}`);
  if (article?.preflight) console.log(`  pages ${article.preflight.pages}, body ${article.preflight.bodySize}pt`);
  console.log(`  peak RSS of node: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
