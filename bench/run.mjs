// `npm run bench`: presswork against the floor (a bare Puppeteer print of
// presswork's own HTML for the seed), measured in one run on this machine.
//
//   (a) floor: launch + open + page.pdf(), as its own process
//   (b) presswork build of the seed, cold, PDF + EPUB + PNG + HTML, as its own process
//       + where the time of one article goes (phases.mjs)
//   (c) warm marginal cost per article in a batch vs the floor's marginal page.pdf()
//   (d) a batch of BENCH_BATCH (500) articles: articles/s, peak PSS of the process
//       tree (node + every Chromium process), first vs last hundred; then the
//       unchanged rebuild (incremental cache) against the cold batch
//   (e) pagedjs-cli and Vivliostyle CLI on the same HTML, when installed
//
// Medians over BENCH_REPS (≥ 5) repetitions; the big batch runs BENCH_BATCH_REPS
// times (default 1: one cold 500-article build takes minutes). Prints a table
// and the ratios; writes everything as JSON to BENCH_OUT (bench/results/latest.json).
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { treePss } from './process-tree.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'bin', 'presswork.js');
const seedSource = join(root, 'content', '000_952877358d78f3b2.md');
const REPS = Number(process.env.BENCH_REPS ?? 5);
if (REPS < 5) process.stderr.write(`BENCH_REPS=${REPS}: fewer than 5 repetitions, a smoke run only\n`);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const BATCH_REPS = Number(process.env.BENCH_BATCH_REPS ?? 1);
const MARGINAL = Number(process.env.BENCH_MARGINAL ?? 6);
const OUT = process.env.BENCH_OUT ?? join(root, 'bench', 'results', 'latest.json');
// BENCH_SECTIONS=d runs only the batch, for instance; its numbers are merged into an existing BENCH_OUT.
const SECTIONS = process.env.BENCH_SECTIONS ?? 'abcde';
const want = (section) => SECTIONS.includes(section);
const GiB = 1024 ** 3;

const log = (line) => process.stderr.write(`${line}\n`);
/** Results so far, written after every section: a long run that is stopped still leaves its numbers. */
const save = () => {
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify(results, null, 2)}\n`);
};
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round = (value, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Runs a command to its end; wall time in ms, measured around the whole process. */
function timed(command, args, options = {}) {
  const start = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...options });
  const ms = performance.now() - start;
  if (result.status !== 0 && !options.allowFailure) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}\n${result.stderr?.slice(-2000)}`);
  }
  return { ms, stdout: result.stdout, stderr: result.stderr, status: result.status };
}

/** A loaded machine can stretch one article past the default 180 s limit: the bench measures time, it does not enforce it. */
const ARTICLE_TIMEOUT = ['--article-timeout', '1800'];
const presswork = (args, cwd) => {
  const run = timed(process.execPath, [cli, ...args, ...(args[0] === 'build' ? ARTICLE_TIMEOUT : [])], { cwd, allowFailure: true });
  if (run.status !== 0) {
    const errors = run.stderr.split('\n').filter((line) => /\berror\b/.test(line) && !/photo-missing/.test(line));
    throw new Error(`presswork ${args.join(' ')} exited ${run.status}:\n${errors.join('\n')}\n${run.stderr.slice(-600)}`);
  }
  return run;
};

// ---------------------------------------------------------------- PSS of a process tree

/** Runs presswork, sampling the tree's PSS every 200 ms, tagged with how many articles were done. */
function sampledBuild(args, cwd) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [cli, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let done = 0;
    let buffer = '';
    let stderrTail = '';
    const errorLines = [];
    const samples = [];
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      stderrTail = (stderrTail + chunk).slice(-4000);
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (/\berror\b/.test(line) && !/photo-missing/.test(line)) errorLines.push(line);
        const match = /^\[(\d+)\/(\d+)\]/.exec(line);
        if (match) {
          done = Number(match[1]);
          if (done % 50 === 0) log(`    … ${done}/${match[2]} articles after ${round((performance.now() - start) / 1000)} s, PSS now ${round(treePss(child.pid).bytes / 2 ** 20)} MiB`);
        }
      }
    });
    const timer = setInterval(() => {
      const { bytes, processes } = treePss(child.pid);
      if (bytes > 0) samples.push({ t: performance.now() - start, done, pss: bytes, processes, load: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]) });
    }, 200);
    child.on('error', reject);
    child.on('close', (status) => {
      clearInterval(timer);
      const ms = performance.now() - start;
      if (status !== 0) reject(new Error(`presswork ${args.join(' ')} exited ${status}\n${errorLines.join('\n')}\n${stderrTail}`));
      else resolve({ ms, samples });
    });
  });
}

// ---------------------------------------------------------------- set-up

const work = mkdtempSync(join(tmpdir(), 'presswork-bench-'));
const project = join(work, 'project');
mkdirSync(join(project, 'seed'), { recursive: true });
copyFileSync(join(root, 'presswork.config.yml'), join(project, 'presswork.config.yml'));
const seedSlug = '000_952877358d78f3b2';
const seed = join(project, 'seed', `${seedSlug}.md`);
copyFileSync(seedSource, seed);

function batchFolder(name, count) {
  const dir = join(project, name);
  mkdirSync(dir, { recursive: true });
  for (let index = 0; index < count; index++) copyFileSync(seedSource, join(dir, `article-${String(index + 1).padStart(4, '0')}.md`));
  return name;
}

const previousResults = SECTIONS !== 'abcde' && existsSync(OUT) ? JSON.parse(readFileSync(OUT, 'utf8')) : {};
const results = {
  ...previousResults,
  machine: { cpus: cpus().length, parallelism: availableParallelism(), model: cpus()[0]?.model, memoryGiB: round(totalmem() / GiB, 1), loadAverage: null },
  settings: { reps: REPS, batch: BATCH, batchReps: BATCH_REPS, marginalArticles: MARGINAL, concurrency: availableParallelism() },
  chromium: spawnSync(process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).stdout?.trim(),
};
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
const loadBefore = loadAverage();
/** Other work on the machine skews every number: the load average is kept with each section. */
const sectionLoad = (section, when) => {
  results.load = { ...results.load, [`${section}-${when}`]: loadAverage() };
};
log(`presswork bench in ${work} (reps ${REPS}, batch ${BATCH}); load average ${loadBefore.join(' ')}`);

try {
  // presswork's own HTML for the seed, at the size its copyfit chose: the page everyone prints.
  const html = join(work, 'html', seedSlug, `${seedSlug}.html`);
  /** One run of the floor (bench/floor.mjs) on that HTML, as its own process. */
  const runFloor = (...extra) => timed(process.execPath, [join(root, 'bench', 'floor.mjs'), html, join(work, 'floor.pdf'), ...extra]);
  // BENCH_SECTIONS=- only prints the table of an existing BENCH_OUT (runs merged by hand, say).
  if (['a', 'b', 'e'].some(want)) presswork(['build', seed, '--out', join(work, 'html'), '--format', 'html', '--no-cache'], project);

  // ---------------------------------------------------------------- (a) floor
  if (want('a')) {
    sectionLoad('a', 'before');
    log('(a) floor: bare Puppeteer …');
    const floorRuns = [];
    for (let rep = 0; rep < REPS; rep++) {
      const run = runFloor();
      floorRuns.push({ wallMs: run.ms, ...JSON.parse(run.stdout) });
    }
    const floorMarginal = JSON.parse(
      runFloor('--marginal', String(Math.max(REPS, MARGINAL))).stdout,
    );
    results.floor = {
      wallMs: median(floorRuns.map((run) => run.wallMs)),
      launchMs: median(floorRuns.map((run) => run.launchMs)),
      gotoMs: median(floorRuns.map((run) => run.gotoMs)),
      fontsMs: median(floorRuns.map((run) => run.fontsMs)),
      pdfMs: median(floorRuns.map((run) => run.pdfMs)),
      marginalPdfMs: median(floorMarginal.marginalPdfMs),
      marginalPageMs: median(floorMarginal.marginalPageMs),
      runs: floorRuns,
    };
    save();
    log(`    floor ${round(results.floor.wallMs)} ms; warm page.pdf() ${round(results.floor.marginalPdfMs)} ms; warm new page ${round(results.floor.marginalPageMs)} ms`);
    sectionLoad('a', 'after');
  }

  // ---------------------------------------------------------------- (b) presswork cold + phases
  if (want('b')) {
    sectionLoad('b', 'before');
    log('(b) presswork build of the seed, cold …');
    // Each repetition runs the floor, then presswork (all formats, then PDF only), one after the other: on a machine
    // whose load changes by the minute, a ratio within one repetition compares like with like.
    const coldRuns = [];
    const pdfOnlyRuns = [];
    const floorRuns = [];
    for (let rep = 0; rep < REPS; rep++) {
      floorRuns.push(runFloor().ms);
      coldRuns.push(presswork(['build', seed, '--out', join(work, `cold-${rep}`), '--no-cache'], project).ms);
      pdfOnlyRuns.push(presswork(['build', seed, '--out', join(work, `cold-pdf-${rep}`), '--format', 'pdf', '--no-cache'], project).ms);
    }
    const versionRuns = [];
    for (let rep = 0; rep < REPS; rep++) versionRuns.push(presswork(['--version'], project).ms);
    results.cold = {
      allFormatsMs: median(coldRuns),
      pdfOnlyMs: median(pdfOnlyRuns),
      nodeStartMs: median(versionRuns),
      floorMs: median(floorRuns),
      vsFloorPaired: round(median(coldRuns.map((ms, rep) => ms / floorRuns[rep])), 2),
      pdfOnlyVsFloorPaired: round(median(pdfOnlyRuns.map((ms, rep) => ms / floorRuns[rep])), 2),
      runs: coldRuns,
      pdfOnlyRuns,
      floorRuns,
    };
    save();
    log(
      `    cold all formats ${round(results.cold.allFormatsMs)} ms (× floor ${results.cold.vsFloorPaired}, paired); pdf only ${round(results.cold.pdfOnlyMs)} ms (× ${results.cold.pdfOnlyVsFloorPaired}); floor beside them ${round(results.cold.floorMs)} ms; --version ${round(results.cold.nodeStartMs)} ms`,
    );

    log('    phases …');
    const phaseRuns = [];
    for (let rep = 0; rep < REPS; rep++) phaseRuns.push(JSON.parse(timed(process.execPath, [join(root, 'bench', 'phases.mjs'), seed, project]).stdout));
    results.phases = Object.fromEntries(Object.keys(phaseRuns[0]).map((key) => [key, round(median(phaseRuns.map((run) => run[key])), 1)]));
    save();
    log(`    phases ${JSON.stringify(results.phases)}`);
    sectionLoad('b', 'after');
  }

  // ---------------------------------------------------------------- (c) warm marginal
  if (want('c')) {
    sectionLoad('c', 'before');
    log('(c) warm marginal cost per article …');
    const one = batchFolder('one', 1);
    const many = batchFolder('many', 1 + MARGINAL);
    const marginal = {};
    for (const concurrency of [availableParallelism(), 1]) {
      const ones = [];
      const manys = [];
      for (let rep = 0; rep < REPS; rep++) {
        ones.push(presswork(['build', one, '--out', join(work, `m1-${concurrency}-${rep}`), '--no-cache', '-j', String(concurrency)], project).ms);
        manys.push(presswork(['build', many, '--out', join(work, `mn-${concurrency}-${rep}`), '--no-cache', '-j', String(concurrency)], project).ms);
      }
      marginal[`j${concurrency}`] = { perArticleMs: (median(manys) - median(ones)) / MARGINAL, oneMs: median(ones), manyMs: median(manys), articles: 1 + MARGINAL };
      rmSync(join(work, `m1-${concurrency}-0`), { recursive: true, force: true });
    }
    results.marginal = marginal;
    save();
    log(`    marginal ${JSON.stringify(marginal)}`);
    sectionLoad('c', 'after');
  }

  // ---------------------------------------------------------------- (d) the big batch
  if (want('d')) {
    sectionLoad('d', 'before');
    log(`(d) ${BATCH}-article batch …`);
    const big = batchFolder('big', BATCH);
    const batchRuns = [];
    for (let rep = 0; rep < BATCH_REPS; rep++) {
      const out = join(work, `big-out-${rep}`);
      const run = await sampledBuild(['build', big, '--out', out, '--no-cache', ...ARTICLE_TIMEOUT], project);
      const peak = (samples) => samples.reduce((max, sample) => Math.max(max, sample.pss), 0);
      const first = run.samples.filter((sample) => sample.done < Math.min(100, BATCH / 5));
      const last = run.samples.filter((sample) => sample.done >= BATCH - Math.min(100, BATCH / 5));
      // The warm marginal cost: time per finished article between the end of the first and the start of the last fifth.
      const fifth = Math.max(1, Math.floor(BATCH / 5));
      const from = run.samples.find((sample) => sample.done >= fifth);
      const to = [...run.samples].reverse().find((sample) => sample.done <= BATCH - fifth);
      batchRuns.push({
        ms: run.ms,
        steadyMsPerArticle: from && to && to.done > from.done ? (to.t - from.t) / (to.done - from.done) : undefined,
        articlesPerSecond: BATCH / (run.ms / 1000),
        peakPssBytes: peak(run.samples),
        peakPssFirstHundredBytes: peak(first),
        peakPssLastHundredBytes: peak(last),
        maxProcesses: run.samples.reduce((max, sample) => Math.max(max, sample.processes), 0),
        // The machine's 1-minute load average over the batch: the other work the numbers were measured under.
        loadAverage: { mean: round(run.samples.reduce((sum, sample) => sum + sample.load, 0) / Math.max(1, run.samples.length), 1), max: run.samples.reduce((max, sample) => Math.max(max, sample.load), 0) },
        samples: run.samples.filter((_, index) => index % 5 === 0).map((sample) => ({ t: round(sample.t), done: sample.done, pssMiB: round(sample.pss / 2 ** 20) })),
      });
      if (rep < BATCH_REPS - 1) rmSync(out, { recursive: true, force: true });
      results.batchRuns = batchRuns;
      save();
      const latest = batchRuns.at(-1);
      log(`    batch ${round(latest.ms)} ms (load average ${latest.loadAverage.mean} mean, ${latest.loadAverage.max} max), ${latest.articlesPerSecond.toFixed(3)} articles/s, peak PSS ${round(latest.peakPssBytes / 2 ** 20)} MiB (first/last hundred ${round(latest.peakPssFirstHundredBytes / 2 ** 20)}/${round(latest.peakPssLastHundredBytes / 2 ** 20)} MiB)`);
    }
    // The unchanged batch again, into the last cold build's folder: everything comes from the cache.
    const warmOut = join(work, `big-out-${BATCH_REPS - 1}`);
    const rebuildRuns = [];
    for (let rep = 0; rep < REPS; rep++) {
      const run = presswork(['build', big, '--out', warmOut], project);
      if (!run.stderr.includes(`0 built, ${BATCH} cached`)) throw new Error(`the unchanged rebuild rebuilt something:\n${run.stderr.slice(-1000)}`);
      rebuildRuns.push(run.ms);
    }
    log(`    unchanged rebuild ${round(median(rebuildRuns))} ms`);
    results.batch = {
      articles: BATCH,
      coldMs: median(batchRuns.map((run) => run.ms)),
      articlesPerSecond: median(batchRuns.map((run) => run.articlesPerSecond)),
      steadyMsPerArticle: median(batchRuns.map((run) => run.steadyMsPerArticle ?? Number.NaN)),
      peakPssBytes: median(batchRuns.map((run) => run.peakPssBytes)),
      peakPssFirstHundredBytes: median(batchRuns.map((run) => run.peakPssFirstHundredBytes)),
      peakPssLastHundredBytes: median(batchRuns.map((run) => run.peakPssLastHundredBytes)),
      loadAverage: batchRuns.at(-1)?.loadAverage,
      unchangedRebuildMs: median(rebuildRuns),
      runs: batchRuns,
      rebuildRuns,
    };
    sectionLoad('d', 'after');
  }

  // ---------------------------------------------------------------- (e) peers
  if (want('e')) {
    sectionLoad('e', 'before');
    log('(e) peers …');
    results.peers = {};
    // The same HTML in a folder of its own, its stylesheets and fonts hard-linked in beside it: Vivliostyle serves
    // the HTML's folder over HTTP and refuses ../../node_modules and symlinks that lead out of it; pagedjs-cli
    // reads it by file:// as the floor does.
    const peerDir = join(work, 'peer');
    const pageHtml = readFileSync(html, 'utf8');
    const linked = new Set(['templates']);
    // The links climb from the HTML's folder to the project's, whatever lies between (the bench's HTML is in /tmp).
    for (const [, path] of pageHtml.matchAll(/href="[^"]*?node_modules\/([^"]+)\.css"/g)) linked.add(join('node_modules', dirname(decodeURIComponent(path))));
    for (const folder of linked) {
      mkdirSync(dirname(join(peerDir, folder)), { recursive: true });
      const copy = spawnSync('cp', ['-al', join(root, folder), join(peerDir, folder)], { encoding: 'utf8' });
      if (copy.status !== 0) throw new Error(`could not link ${folder} for the peers: ${copy.stderr}`);
    }
    const peerHtml = join(peerDir, 'page.html');
    // Vivliostyle's server does not decode %40 in a path: the links say @fontsource as the folders do.
    writeFileSync(peerHtml, pageHtml.replace(/(href|src)="(?:\.\.\/[^"]*?\/)?(node_modules|templates)\/([^"]*)"/g, (_, attribute, folder, rest) => `${attribute}="${folder}/${decodeURIComponent(rest)}"`));
    const chromium = process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium';
    // Peers are not dependencies: on PATH, or installed with npm under BENCH_PEERS (default /opt/peers).
    const peersDir = process.env.BENCH_PEERS ?? '/opt/peers';
    const which = (name) =>
      [join(peersDir, 'node_modules', '.bin', name)].find((path) => existsSync(path)) ?? spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
    const noSandbox = process.getuid?.() === 0;
    // The floor's PDF is what the peers' text is checked against (made here when section a did not run).
    if (!existsSync(join(work, 'floor.pdf'))) runFloor();
    for (const [name, args] of [
      // pagedjs-cli launches Puppeteer's Chromium: PUPPETEER_EXECUTABLE_PATH points it at ours; as root it needs --no-sandbox.
      ['pagedjs-cli', (out) => [peerHtml, '-o', out, ...(noSandbox ? ['--browserArgs=--no-sandbox'] : [])]],
      ['vivliostyle', (out) => ['build', peerHtml, '-o', out, '--executable-browser', chromium]],
    ]) {
      const path = which(name);
      if (!path) {
        results.peers[name] = { installed: false };
        continue;
      }
      const runs = [];
      const floorRuns = [];
      const out = join(work, `${name}.pdf`);
      // Each peer run beside a floor run, as the cold builds are: the ratio holds on a machine whose load moves.
      for (let rep = 0; rep < REPS; rep++) {
        floorRuns.push(runFloor().ms);
        runs.push(timed(path, args(out), { cwd: peerDir, env: { ...process.env, PUPPETEER_EXECUTABLE_PATH: chromium } }).ms);
      }
      // Proof that the peer printed the page, not an empty or font-less one: its pages and text against the floor's PDF.
      const pdfText = (file) => spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, '').length;
      const pages = Number(/Pages:\s+(\d+)/.exec(spawnSync('pdfinfo', [out], { encoding: 'utf8' }).stdout)?.[1]);
      const fonts = spawnSync('pdffonts', [out], { encoding: 'utf8' }).stdout.split('\n').slice(2).filter(Boolean).map((line) => line.split(/\s+/)[0]);
      results.peers[name] = { installed: true, path, ms: median(runs), runs, floorRuns, vsFloorPaired: round(median(runs.map((ms, rep) => ms / floorRuns[rep])), 2), pages, characters: pdfText(out), floorCharacters: pdfText(join(work, 'floor.pdf')), fonts: [...new Set(fonts)] };
      save();
    }
    sectionLoad('e', 'after');
  }

} finally {
  results.machine.loadAverage = { before: loadBefore, after: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number) };
  if (!process.env.BENCH_KEEP) rmSync(work, { recursive: true, force: true });
}

// ---------------------------------------------------------------- report

const s = (ms) => (ms === undefined ? '–' : `${(ms / 1000).toFixed(2)} s`);
const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const ratio = (a, b) => round(a / b, 2);
const { floor, cold, marginal, batch, phases, peers } = results;
const j = `j${availableParallelism()}`;
const ratios = {};
if (cold) Object.assign(ratios, { coldVsFloor: cold.vsFloorPaired, coldPdfOnlyVsFloor: cold.pdfOnlyVsFloorPaired });
if (marginal && floor) {
  Object.assign(ratios, {
    marginalVsFloorPdf: ratio(marginal[j].perArticleMs, floor.marginalPdfMs),
    marginalVsFloorPage: ratio(marginal[j].perArticleMs, floor.marginalPageMs),
    marginalSerialVsFloorPdf: ratio(marginal.j1.perArticleMs, floor.marginalPdfMs),
    marginalSerialVsFloorPage: ratio(marginal.j1.perArticleMs, floor.marginalPageMs),
  });
}
if (batch) {
  Object.assign(ratios, {
    unchangedRebuildVsCold: round(batch.unchangedRebuildMs / batch.coldMs, 4),
    pssLastVsFirstHundred: ratio(batch.peakPssLastHundredBytes, batch.peakPssFirstHundredBytes),
  });
}
results.ratios = ratios;
const rows = [];
if (floor) {
  rows.push(
    ['(a) floor: bare Puppeteer launch + goto + page.pdf()', s(floor.wallMs), `launch ${s(floor.launchMs)}, goto ${s(floor.gotoMs)}, fonts ${s(floor.fontsMs)}, pdf ${s(floor.pdfMs)}`],
    ['(a) floor: warm page.pdf() of the loaded page', s(floor.marginalPdfMs), ''],
    ['(a) floor: warm new page + goto + fonts + pdf', s(floor.marginalPageMs), ''],
  );
}
if (cold) {
  rows.push(
    ['(b) floor, run beside each cold build', s(cold.floorMs), ''],
    ['(b) presswork build seed, cold, pdf+epub+png+html', s(cold.allFormatsMs), `× floor ${ratios.coldVsFloor} (median of paired runs; target ≤ 1.5)`],
    ['(b) presswork build seed, cold, pdf only', s(cold.pdfOnlyMs), `× floor ${ratios.coldPdfOnlyVsFloor}`],
    ['    node start + CLI (presswork --version)', s(cold.nodeStartMs), ''],
  );
}
if (marginal) {
  rows.push(
    [`(c) warm marginal per article, -j ${availableParallelism()}`, s(marginal[j].perArticleMs), `× floor page.pdf() ${ratios.marginalVsFloorPdf} (target ≤ 1.5), × floor new page ${ratios.marginalVsFloorPage}`],
    ['(c) warm marginal per article, -j 1', s(marginal.j1.perArticleMs), `× floor page.pdf() ${ratios.marginalSerialVsFloorPdf}, × floor new page ${ratios.marginalSerialVsFloorPage}`],
  );
}
if (batch) {
  rows.push(
    [`(d) ${batch.articles}-article batch, cold`, s(batch.coldMs), `${batch.articlesPerSecond.toFixed(3)} articles/s (load average ${batch.loadAverage?.mean} mean, ${batch.loadAverage?.max} max)`],
    [`(d) steady-state time per article (-j ${availableParallelism()})`, s(batch.steadyMsPerArticle), floor ? `× floor page.pdf() ${ratio(batch.steadyMsPerArticle, floor.marginalPdfMs)}, × floor new page ${ratio(batch.steadyMsPerArticle, floor.marginalPageMs)}` : ''],
    ['(d) peak PSS of the process tree', mib(batch.peakPssBytes), `${(batch.peakPssBytes / GiB).toFixed(2)} GiB (target ≤ 1.2 GiB)`],
    [`(d) peak PSS, first vs last ${Math.min(100, batch.articles / 5)} articles`, `${mib(batch.peakPssFirstHundredBytes)} / ${mib(batch.peakPssLastHundredBytes)}`, `× ${ratios.pssLastVsFirstHundred}`],
    ['(d) unchanged rebuild (all cached)', s(batch.unchangedRebuildMs), `${(ratios.unchangedRebuildVsCold * 100).toFixed(1)} % of cold (target ≤ 5 %)`],
  );
}
for (const [name, peer] of Object.entries(peers ?? {})) {
  if (!peer.installed) {
    rows.push([`(e) ${name}`, 'not installed', `skipped: install it outside the project (npm i under ${process.env.BENCH_PEERS ?? '/opt/peers'}) to compare`]);
    continue;
  }
  if (cold) ratios[`${name}VsPresswork`] = ratio(peer.ms, cold.allFormatsMs);
  ratios[`${name}VsFloor`] = peer.vsFloorPaired;
  const printed = `${peer.pages} page(s), ${peer.characters}/${peer.floorCharacters} characters of the floor's PDF, fonts ${peer.fonts.slice(0, 3).join(' ')}${peer.fonts.length > 3 ? ' …' : ''}`;
  rows.push([`(e) ${name}, same HTML`, s(peer.ms), `× presswork cold ${ratios[`${name}VsPresswork`] ?? '–'}, × floor ${ratios[`${name}VsFloor`] ?? '–'}; ${printed}`]);
}
const width = Math.max(...rows.map((row) => row[0].length));
const valueWidth = Math.max(...rows.map((row) => row[1].length));
process.stdout.write(`\npresswork bench — ${results.machine.cpus} CPUs (${results.machine.model}), ${results.chromium}, medians of ${REPS}\n\n`);
for (const [label, value, note] of rows) process.stdout.write(`${label.padEnd(width)}  ${value.padStart(valueWidth)}  ${note}\n`);
if (phases) {
  process.stdout.write(`\none article, phase by phase (ms, median of ${REPS}; copyfit ${phases.copyfitIterations} trials, ${phases.pages} page(s), fill ${phases.fill}, PNG ${phases.pngBytes} B):\n`);
  process.stdout.write(
    `${Object.entries(phases)
      .filter(([key]) => !['copyfitIterations', 'pages', 'fill', 'pngBytes'].includes(key))
      .map(([key, value]) => `  ${key.padEnd(20)} ${String(round(value)).padStart(7)}`)
      .join('\n')}\n`,
  );
}
process.stdout.write(`load averages by section: ${Object.entries(results.load ?? {}).map(([key, value]) => `${key} ${value.join(' ')}`).join('; ')}\n`);
process.stdout.write(`\nload average before/after: ${results.machine.loadAverage.before.join(' ')} / ${results.machine.loadAverage.after.join(' ')}\n`);
save();
process.stdout.write(`wrote ${OUT}\n`);
