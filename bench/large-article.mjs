// A 5 MB article through the real command: does it build, over as many pages
// as it needs, within its time limit, with every character of its text in the
// PDF, and at what cost in time and memory?
//   npm run bench:large [-- megabytes=5 [timeout-seconds]]     (BENCH_FORMATS=pdf,epub: only those formats)
// Runs `presswork build` (dist/, so `npm run build` first) on an article made
// of the seed's paragraphs, samples the PSS of its whole process tree (node and
// Chromium), then reads the PDF back with pdftotext. Exits 1 when the build
// fails or times out, or when any character of the text is missing from the
// PDF or out of order. Too slow for the test suite; the suite tests the size
// limit itself (test/large-article.test.ts).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { treePss } from './process-tree.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const megabytes = Number(process.argv[2] ?? 5);
// Unset: the build's own default for the article's size.
const timeoutSeconds = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
const seed = readFileSync(join(root, 'test/fixtures/seed/000_952877358d78f3b2.txt'), 'utf8');
const paragraphs = seed.split(/\n\s*\n/).map((block) => block.trim()).filter((block) => block.length > 40);
const squeeze = (text) => text.replace(/\s+/g, '');

const headline = '五兆字节的长稿';
const body = [];
let bytes = 0;
for (let index = 0; bytes < megabytes * 1024 * 1024; index++) {
  const paragraph = paragraphs[index % paragraphs.length];
  body.push(paragraph);
  bytes += Buffer.byteLength(paragraph) + 2;
}
const dir = mkdtempSync(join(tmpdir(), 'presswork-bench-large-'));
const source = join(dir, 'large.md');
writeFileSync(source, ['---', `headline: ${headline}`, '---', '', body.join('\n\n'), ''].join('\n'));
const expected = squeeze([headline, ...body].join(''));
console.log(`article: ${(bytes / 2 ** 20).toFixed(2)} MB, ${body.length} paragraphs, ${[...expected].length.toLocaleString('en')} characters without white space`);

const args = [join(root, 'bin/presswork.js'), 'build', source, '--out', join(dir, 'output'), '--json', '--no-cache'];
if (timeoutSeconds !== undefined) args.push('--article-timeout', String(timeoutSeconds));
// BENCH_FORMATS=pdf: the PDF alone (the default is every format, as `presswork build` makes).
if (process.env.BENCH_FORMATS) args.push('--format', process.env.BENCH_FORMATS);
const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
// Its own process group, so a build that hangs can be ended with its Chromium.
const child = spawn(process.execPath, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
// A build must end by itself within its time limit; this only catches one that does not.
const watchdogSeconds = Number(process.env.BENCH_WATCHDOG_SECONDS ?? 3600);
let hung = false;
const watchdog = setTimeout(() => {
  hung = true;
  process.kill(-child.pid, 'SIGKILL');
}, watchdogSeconds * 1000);
let stdout = '';
child.stdout.on('data', (chunk) => (stdout += chunk));
// The build's progress lines (stderr off a terminal), stamped with the time since the start.
let pending = '';
child.stderr.on('data', (chunk) => {
  const lines = (pending + chunk).split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) console.log(`  ${seconds()} s | ${line}`);
});
let peakPss = 0;
const sampler = setInterval(() => (peakPss = Math.max(peakPss, treePss(child.pid).bytes)), 500);
const exitCode = await new Promise((resolve) => child.on('close', (code) => resolve(code)));
clearInterval(sampler);
clearTimeout(watchdog);
const elapsed = seconds();

const failures = [];
if (hung) failures.push(`the build was still running after ${watchdogSeconds} s and was killed: it hangs`);
let article;
try {
  article = JSON.parse(stdout).articles?.[0];
} catch {
  failures.push(`the build printed no JSON report (exit ${exitCode})`);
}
if (exitCode !== 0) failures.push(`presswork exited ${exitCode}`);
for (const message of article?.messages ?? []) console.log(`  ${message.severity} ${message.rule}: ${message.message}`);

let inOrder = 0;
let pdfChars = 0;
const pdf = article?.outputs?.pdf ? join(dir, 'output', article.outputs.pdf.path) : undefined;
if (pdf) {
  // -raw: the content stream's order, which is the text's order column by column and page by page.
  const text = spawnSync('pdftotext', ['-raw', pdf, '-'], { encoding: 'utf8', maxBuffer: 1024 * 2 ** 20 });
  if (text.status !== 0) failures.push(`pdftotext failed: ${text.stderr}`);
  const printed = [...squeeze(text.stdout ?? '')];
  pdfChars = printed.length;
  // The text must appear in the PDF in order; what else is there is the page's furniture (报眉, folios, 下转/上接).
  const wanted = [...expected];
  for (let at = 0; at < printed.length && inOrder < wanted.length; at++) if (printed[at] === wanted[inOrder]) inOrder++;
  if (inOrder < wanted.length) failures.push(`only the first ${inOrder.toLocaleString('en')} of ${wanted.length.toLocaleString('en')} characters reach the PDF in order; next missing: "${wanted.slice(inOrder, inOrder + 20).join('')}"`);
} else if (article?.ok) {
  failures.push('the report names no PDF');
}

console.log(`outcome: ${article?.ok ? 'built' : 'failed'} in ${elapsed} s (exit ${exitCode})`);
console.log(`  pages: ${article?.outputs?.pdf?.pages ?? article?.preflight?.pages ?? '?'}, body ${article?.preflight?.bodySize ?? '?'}pt`);
console.log(`  characters in: ${[...expected].length.toLocaleString('en')}; in the PDF, in order: ${inOrder.toLocaleString('en')} (the PDF's text has ${pdfChars.toLocaleString('en')} with its furniture)`);
console.log(`  outputs: ${Object.entries(article?.outputs ?? {}).map(([format, output]) => `${format} ${(output.bytes / 2 ** 20).toFixed(1)} MB`).join(', ')}`);
console.log(`  peak PSS of the process tree (node + Chromium): ${(peakPss / 2 ** 20).toFixed(0)} MiB`);
console.log(`  load average at the end: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
rmSync(dir, { recursive: true, force: true });
for (const failure of failures) console.error(`FAIL: ${failure}`);
process.exit(failures.length > 0 ? 1 : 0);
