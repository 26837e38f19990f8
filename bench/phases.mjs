// Where the time of one article goes: the seed built as `presswork build`
// builds it, with presswork's own modules (dist/), each step timed. The print
// stage reports its own steps (printPage's onStep), so this stays in step with
// it. One run per process; prints one JSON line of milliseconds: wall time per
// step, and (cpu.*) the CPU time Chromium's processes and node spent in it — on
// a loaded machine wall time mostly measures the other work, CPU time does not.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadArticle, loadConfig } from '../dist/content/load.js';
import { buildEpub } from '../dist/epub/index.js';
import { loadTemplate, renderPage } from '../dist/layout/index.js';
import { BrowserSession, printPage } from '../dist/print/index.js';
import { createArticleProcessor, transformArticle } from '../dist/transform/index.js';

const [source, projectDir] = process.argv.slice(2);

/** CPU time (user + system, ms) of `pid` and every process below it, from /proc/<pid>/stat. */
function treeCpuMs(pid) {
  const children = new Map();
  const cpu = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime + stime, and cutime + cstime: a helper that ended (a closed page's renderer) still counts, in its parent.
      cpu.set(Number(entry), ((Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * 1000) / 100);
      const ppid = Number(fields[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  let total = 0;
  const stack = [pid];
  while (stack.length > 0) {
    const current = stack.pop();
    total += cpu.get(current) ?? 0;
    stack.push(...(children.get(current) ?? []));
  }
  return total;
}
let browserPid;
let cpuMark = { chromium: 0, node: process.cpuUsage() };
/** Adds the CPU spent since the last call to `step`. */
const cpuLap = (step) => {
  const chromium = browserPid === undefined ? 0 : treeCpuMs(browserPid);
  const node = process.cpuUsage(cpuMark.node);
  times[`cpu.chromium.${step}`] = (times[`cpu.chromium.${step}`] ?? 0) + (chromium - cpuMark.chromium);
  times[`cpu.node.${step}`] = (times[`cpu.node.${step}`] ?? 0) + (node.user + node.system) / 1000;
  cpuMark = { chromium, node: process.cpuUsage() };
};
const times = {};
let last = performance.now();
const lap = (name) => {
  const now = performance.now();
  times[name] = (times[name] ?? 0) + (now - last);
  last = now;
};

const start = performance.now();
last = start;
const config = loadConfig(projectDir);
const template = loadTemplate();
const processor = createArticleProcessor();
lap('setup');
const article = await loadArticle(source, config);
const tree = await transformArticle(processor, article.file);
const doc = renderPage(article, tree, template);
lap('loadTransformLayout');
const session = new BrowserSession();
await session.browser();
lap('launch');
browserPid = session.launched[0]?.pid;
cpuLap('launch');
const workDir = await mkdtemp(join(tmpdir(), 'presswork-phases-'));
const printed = await printPage(session, doc, {
  workDir,
  allowedRoots: [template.dir, ...template.fonts.map((font) => join(font.cssPath, '..'))],
  metadata: { title: article.frontMatter.headline, authors: [], keywords: [], lang: 'zh-CN', creator: 'bench' },
  fit: { bodySize: doc.geometry.bodySize, leading: doc.geometry.leading, folio: doc.folio, maxPages: 1000 },
  onStep: (step, ms) => {
    times[step] = (times[step] ?? 0) + ms;
    cpuLap(step);
  },
});
// What printPage spent outside its steps: writing the HTML, opening and closing the page.
times.pageOverhead = performance.now() - last - ['open', 'copyfit', 'measure', 'systemFonts', 'pdf', 'png'].reduce((sum, step) => sum + (times[step] ?? 0), 0);
cpuLap('pageOverhead');
last = performance.now();
await buildEpub({
  tree,
  frontMatter: article.frontMatter,
  slug: article.slug,
  sectionHeads: article.file.data.sectionHeads ?? [],
  runningHead: article.runningHead,
  creator: 'bench',
  sourceDateEpoch: 0,
  fonts: template.fonts,
  print: { png: printed.png, pageStarts: printed.fit.pageStarts },
});
lap('epub');
cpuLap('epub');
await session.close();
lap('close');
await rm(workDir, { recursive: true, force: true });
times.total = performance.now() - start;
process.stdout.write(
  `${JSON.stringify({ ...times, copyfitIterations: printed.fit.iterations, pages: printed.fit.pages.length, fill: printed.fit.fill, pngBytes: printed.pngs.reduce((sum, png) => sum + png.byteLength, 0) })}\n`,
);
