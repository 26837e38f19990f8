// `presswork dev` for real: a server on an ephemeral port laying out articles
// in Chromium, fetched over HTTP, reloaded by a save, its overlay drawn in a
// browser, and closed without leaving a Chromium behind.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultsOf, startDevServer, type DevServer } from '../src/dev/index.js';
import type { Preflight } from '../src/print/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));

const GOOD = `---
headline: 开发预览样张
---

职工之家建设要从职工最关心的事情做起，把服务送到车间班组。

工会主席表示，将围绕企业中心工作，团结动员职工建功立业。
`;

const MODULE_CONFIG = 'layout:\n  depth: fit\n  columns: 1\n';

// Each fault is forced by the text itself, whatever the column width: a hard
// line break puts "。" at a line start and leaves "字。" alone on a last line;
// no bundled font draws the emoji.
const FAULTY = `---
headline: 预检故障样张
---

这一段没有问题，用来对照。

这一行在这里断开\\
。句号落在行首，违反避头规则。

这一段最后一行只有一个字：这一行很长很长很长很长很长很长\\
字。

表情符号😀不在报纸的字体里。
`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A server-sent event stream, read as the browser's EventSource would. */
function eventStream(url: string) {
  const events: Array<{ event: string; data: Record<string, unknown> }> = [];
  let response: IncomingMessage | undefined;
  let buffer = '';
  const request = get(url, (res) => {
    response = res;
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(frame)?.[1];
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (event && data) events.push({ event, data: JSON.parse(data) as Record<string, unknown> });
      }
    });
  });
  request.on('error', () => undefined);
  return {
    events,
    connected: () => waitFor('the event stream', () => response),
    ended: () => waitFor('the event stream to end', () => response?.complete || response?.destroyed || undefined, 10_000),
    close: () => request.destroy(),
  };
}

const text = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, body: await response.text() };
};

describe('presswork dev (server)', () => {
  let dir: string;
  let server: DevServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'presswork-dev-'));
    // Short fixtures cannot fill a page or balance five columns: one column as deep as they need, so only their own faults show.
    writeFileSync(join(dir, 'presswork.config.yml'), MODULE_CONFIG);
    writeFileSync(join(dir, 'good.md'), GOOD);
    writeFileSync(join(dir, 'faulty.md'), FAULTY);
    server = await startDevServer({ paths: [dir], cwd: dir, port: 0 });
    await server.settled();
  });

  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('listens on an ephemeral port and lists every article with its preflight status', async () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    const index = await text(server.url);
    expect(index.status).toBe(200);
    expect(index.body).toMatch(/<tr class="pw-article" data-slug="good" data-status="ok">.*开发预览样张.*preflight ok/s);
    const faulty = /<tr class="pw-article" data-slug="faulty" data-status="faults">(.*?)<\/tr>/s.exec(index.body)?.[1] ?? '';
    expect(faulty).toContain('预检故障样张');
    expect(faulty).toMatch(/preflight failed: .*kinsoku 1.*orphanLines 1.*missingGlyphs 1/);
    expect(index.body).toContain('<a href="/article/good">');
  });

  it('serves the laid-out page at the body size the copyfit chose, with its fonts and stylesheet', async () => {
    const status = (await (await fetch(`${server.url}_dev/status.json`)).json()) as { articles: Array<{ slug: string; preflight: Preflight }> };
    const good = status.articles.find((article) => article.slug === 'good');
    expect(good?.preflight.ok).toBe(true);
    const page = await text(`${server.url}article/good`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('职工之家建设要从职工最关心的事情做起');
    expect(page.body).toContain(`--body-size: ${good?.preflight.bodySize}pt`);
    expect(page.body).toContain('<aside class="pw-dev-panel" data-status="ok"');
    // Every stylesheet the page links is served, and so are the fonts they name.
    const links = [...page.body.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)].map((match) => match[1] ?? '');
    expect(links.some((link) => link.endsWith('/page.css'))).toBe(true);
    for (const link of links) expect((await fetch(new URL(link, server.url))).status, link).toBe(200);
    const fontCss = links.find((link) => link.endsWith('/400.css')) ?? '';
    const font = /url\(["']?([^"')]+\.woff2)/.exec((await text(new URL(fontCss, server.url).href)).body)?.[1] ?? '';
    const fontResponse = await fetch(new URL(font, new URL(fontCss, server.url)));
    expect(fontResponse.status).toBe(200);
    expect(fontResponse.headers.get('content-type')).toBe('font/woff2');
    // Nothing outside the served folders.
    const escape = await fetch(`${server.url}_files/0/..%2f..%2f..%2f..%2fetc/passwd`);
    expect(escape.status).toBe(404);
  });

  it('lists each preflight fault in the panel of a faulty page', async () => {
    const page = await text(`${server.url}article/faulty`);
    // 😀 is in no bundled font, and Chromium draws it with a system font: both are faults.
    expect(page.body).toContain('<aside class="pw-dev-panel" data-status="faults" data-checks-failed="4"');
    for (const check of ['kinsoku', 'orphanLines', 'missingGlyphs', 'systemFonts']) {
      expect(page.body).toMatch(new RegExp(`<section class="pw-check" data-check="${check}"><h3>${check} \\(1\\)</h3><ol><li class="pw-fault"`));
    }
    expect(page.body).toContain('line starts with “。”');
    expect(page.body).toContain('😀 U+1F600');
    // The client gets the same faults, with what it needs to find them.
    const data = JSON.parse(/<script type="application\/json" id="presswork-dev">(.*?)<\/script>/s.exec(page.body)?.[1] ?? '{}') as {
      slug: string;
      faults: Array<{ check: string; text?: string; char?: string; block?: number }>;
    };
    expect(data.slug).toBe('faulty');
    expect(data.faults.find((fault) => fault.check === 'kinsoku')?.text).toMatch(/^。句号落在行首/);
    expect(data.faults.find((fault) => fault.check === 'orphanLines')).toMatchObject({ text: '字。', block: 2 });
    expect(data.faults.find((fault) => fault.check === 'missingGlyphs')?.char).toBe('😀');
  });

  it('outlines the offending lines and the missing glyph on the page in the browser', async () => {
    const browser = await server.session.browser();
    const page = await browser.newPage();
    try {
      await page.setViewport({ width: 1400, height: 1000 });
      await page.goto(`${server.url}article/faulty`, { waitUntil: 'load' });
      await page.waitForFunction(() => document.documentElement.dataset.pwOutlines !== undefined, { timeout: 30_000 });
      const found = await page.evaluate(() => {
        const box = (rect: DOMRect) => ({ x: rect.left, y: rect.top, right: rect.right, bottom: rect.bottom });
        const outlines = [...document.querySelectorAll<HTMLElement>('.pw-outline')].map((outline) => ({
          check: outline.dataset.check,
          ...box(outline.getBoundingClientRect()),
        }));
        // Where the faults really are, found independently of the overlay.
        const range = document.createRange();
        const at = (needle: string) => {
          const walker = document.createTreeWalker(document.querySelector('.article-body')!, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
            const index = node.data.indexOf(needle);
            if (index >= 0) {
              range.setStart(node, index);
              range.setEnd(node, index + needle.length);
              return box(range.getBoundingClientRect());
            }
          }
          return undefined;
        };
        return { outlines, stop: at('。句'), orphan: at('字。'), emoji: at('😀'), clean: at('这一段没有问题') };
      });
      const contains = (outer: { x: number; y: number; right: number; bottom: number }, inner?: { x: number; y: number; right: number; bottom: number }) =>
        inner !== undefined && outer.x <= inner.x + 0.5 && outer.y <= inner.y + 0.5 && outer.right >= inner.right - 0.5 && outer.bottom >= inner.bottom - 0.5;
      const of = (check: string) => found.outlines.filter((outline) => outline.check === check);
      expect(of('kinsoku')).toHaveLength(1);
      expect(contains(of('kinsoku')[0]!, found.stop)).toBe(true);
      expect(of('orphanLines')).toHaveLength(1);
      expect(contains(of('orphanLines')[0]!, found.orphan)).toBe(true);
      expect(of('missingGlyphs')).toHaveLength(1);
      expect(contains(of('missingGlyphs')[0]!, found.emoji)).toBe(true);
      expect(of('systemFonts')).toHaveLength(1);
      expect(contains(of('systemFonts')[0]!, found.emoji)).toBe(true);
      // The clean paragraph is not outlined.
      expect(found.outlines.some((outline) => contains(outline, found.clean))).toBe(false);
    } finally {
      await page.close();
    }
  });

  it('lays the article out again when its source is saved, and tells the browser to reload', async () => {
    const stream = eventStream(`${server.url}_dev/events`);
    try {
      await stream.connected();
      const before = await text(`${server.url}article/good`);
      expect(before.body).not.toContain('保存之后新加的一段');
      appendFileSync(join(dir, 'good.md'), '\n保存之后新加的一段，预览页面应当自动刷新。\n');
      const reload = await waitFor('a reload event for good', () => stream.events.find((event) => event.event === 'reload' && event.data.slug === 'good'));
      expect(reload.data.status).toBe('ok');
      const after = await text(`${server.url}article/good`);
      // The layout may wrap a paragraph's last characters in markup (keep-together), never change them.
      expect(after.body.replace(/<[^>]+>/g, '')).toContain('保存之后新加的一段，预览页面应当自动刷新。');
      const version = (html: string) => Number(/"version":(\d+)/.exec(html)?.[1]);
      expect(version(after.body)).toBe(version(before.body) + 1);
      // Only the saved article was laid out again.
      expect(stream.events.filter((event) => event.data.slug === 'faulty')).toEqual([]);
    } finally {
      stream.close();
    }
  });

  it('shows an article that cannot be laid out with its error, and picks up new files', async () => {
    const stream = eventStream(`${server.url}_dev/events`);
    try {
      await stream.connected();
      writeFileSync(join(dir, 'broken.md'), '---\nheadline: 坏稿\nheadlne: 拼错的键\n---\n\n正文。\n');
      await waitFor('a reload event for broken', () => stream.events.find((event) => event.data.slug === 'broken'));
      const page = await text(`${server.url}article/broken`);
      expect(page.body).toContain('could not be laid out');
      expect(page.body).toMatch(/broken\.md\n3:1 error unknown key `headlne`; did you mean `headline`\?/);
      expect((await text(server.url)).body).toMatch(/data-slug="broken" data-status="error"/);
      // Fixed and saved: laid out, and the browser told to reload.
      writeFileSync(join(dir, 'broken.md'), '---\nheadline: 坏稿\n---\n\n正文已经改好了。\n');
      await waitFor('the fixed article', () => stream.events.find((event) => event.data.slug === 'broken' && event.data.status === 'ok'));
      expect((await text(`${server.url}article/broken`)).body.replace(/<[^>]+>/g, '')).toContain('正文已经改好了。');
    } finally {
      stream.close();
    }
  });

  it('refuses a port that is taken, saying how to choose another', async () => {
    await expect(startDevServer({ paths: [dir], cwd: dir, port: server.port })).rejects.toThrow(
      `port ${server.port} on 127.0.0.1 is in use; pick another with --port N (0: any free port)`,
    );
  });

  it('closes cleanly: event streams end and its Chromium is gone', async () => {
    const stream = eventStream(`${server.url}_dev/events`);
    await stream.connected();
    const pids = server.session.launched.map((launch) => launch.pid);
    expect(pids.length).toBeGreaterThan(0);
    expect(pids.every(alive)).toBe(true);
    await server.close();
    await stream.ended();
    await waitFor('Chromium to exit', () => pids.every((pid) => !alive(pid)) || undefined, 10_000);
    await expect(fetch(server.url)).rejects.toThrow();
  });
});

describe('faults for the overlay', () => {
  const base = { ok: false, pages: 1, fill: 0.9, bodySize: 9, copyfitIterations: 3, lines: 10 };
  const ok = { ok: true, count: 0, items: [] };

  it('reads today’s string items and tomorrow’s objects alike, and skips passing checks', () => {
    const preflight = {
      ...base,
      overflow: { ok: false, count: 1, items: ['the body overflows its columns on page 2: text would be cut'] },
      kinsoku: ok,
      orphanLines: { ok: false, count: 1, items: ['paragraph 7 ends on a line of its own: 字。'] },
      missingGlyphs: ok,
      columnBalance: { ok: false, count: 1, items: [{ message: 'columns differ by 3 lines', page: 1, rect: { x: 10, y: 20, width: 30, height: 40 } }] },
      images: { ok: false, count: 1, items: [{ message: 'photo.jpg: 120 ppi', blockId: 'b-3' }] },
    } as unknown as Preflight;
    expect(faultsOf(preflight)).toEqual([
      { check: 'overflow', message: 'the body overflows its columns on page 2: text would be cut', page: 2 },
      { check: 'orphanLines', message: 'paragraph 7 ends on a line of its own: 字。', block: 6, text: '字。' },
      { check: 'columnBalance', message: 'columns differ by 3 lines', page: 1, rect: { x: 10, y: 20, width: 30, height: 40 } },
      { check: 'images', message: 'photo.jpg: 120 ppi', blockId: 'b-3' },
    ]);
  });
});

describe('presswork dev (command)', () => {
  it('serves until SIGINT, then exits 0 and leaves no Chromium running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'presswork-dev-cli-'));
    try {
      writeFileSync(join(dir, 'presswork.config.yml'), MODULE_CONFIG);
      writeFileSync(join(dir, 'good.md'), GOOD);
      const child = spawn(process.execPath, [join(root, 'bin', 'presswork.js'), 'dev', '--port', '0'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      // With no paths the default is content/: there is none here, so that is wrong usage...
      expect(await exited).toBe(2);
      expect(stderr).toContain('content: no such file or folder');

      const second = spawn(process.execPath, [join(root, 'bin', 'presswork.js'), 'dev', 'good.md', '--port', '0'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      let log = '';
      second.stderr.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
      const done = new Promise<number | null>((resolve) => second.on('exit', (code) => resolve(code)));
      const url = await waitFor('the server URL', () => /presswork dev: (http:\/\/\S+)/.exec(log)?.[1]);
      const index = await text(url);
      expect(index.body).toContain('data-slug="good"');
      await waitFor('the first layout', () => log.includes('good.md: preflight ok') || undefined, 90_000);
      const chromium = spawnSync('ps', ['-o', 'pid=', '--ppid', String(second.pid)], { encoding: 'utf8' })
        .stdout.split('\n')
        .map((line) => Number(line.trim()))
        .filter((pid) => pid > 0);
      expect(chromium.length).toBeGreaterThan(0);
      second.kill('SIGINT');
      expect(await done).toBe(0);
      expect(log).toContain('SIGINT, closing');
      await waitFor('Chromium to exit', () => chromium.every((pid) => !alive(pid)) || undefined, 10_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('on SIGTERM in the middle of a layout, still exits 0 and takes its Chromium with it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'presswork-dev-cli-'));
    try {
      writeFileSync(join(dir, 'good.md'), GOOD);
      const child = spawn(process.execPath, [join(root, 'bin', 'presswork.js'), 'dev', 'good.md', '--port', '0'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      let log = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
      const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      await waitFor('the server URL', () => /presswork dev: (http:\/\/\S+)/.exec(log)?.[1]);
      // The moment its browser exists, the layout is under way.
      const chromium = await waitFor('Chromium to start', () => {
        const pids = spawnSync('ps', ['-o', 'pid=', '--ppid', String(child.pid)], { encoding: 'utf8' })
          .stdout.split('\n')
          .map((line) => Number(line.trim()))
          .filter((pid) => pid > 0);
        return pids.length > 0 ? pids : undefined;
      });
      const signalled = Date.now();
      child.kill('SIGTERM');
      expect(await done).toBe(0);
      // Closing waits for no layout to finish (that could take minutes on a long article).
      expect(Date.now() - signalled).toBeLessThan(30_000);
      expect(log).toContain('SIGTERM, closing');
      await waitFor('Chromium to exit', () => chromium.every((pid) => !alive(pid)) || undefined, 10_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
