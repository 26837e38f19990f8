// Hostile content, built for real: nothing in it runs in the print page, no
// local file's content reaches the PDF or EPUB, the page makes no network
// request (a local server counts them) and reads nothing outside its roots.
// With remote images allowed, they are fetched within a time and size limit.
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type ArticleReport } from '../src/publish/build.js';
import { articleFolder } from './support/articles.js';

let server: Server;
let origin: string;
const requests: string[] = [];
const folders: string[] = [];
let png: Buffer;

beforeAll(async () => {
  png = await sharp({ create: { width: 300, height: 400, channels: 3, background: '#c33' } }).png().toBuffer();
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    if (request.url === '/ok.png') response.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length }).end(png);
    else if (request.url === '/big.png') response.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(200_000, 1));
    else if (request.url === '/page.png') response.writeHead(200, { 'content-type': 'text/html' }).end('<p>not an image</p>');
    else if (request.url === '/slow.png') setTimeout(() => response.writeHead(200, { 'content-type': 'image/png' }).end(png), 5000);
    else response.writeHead(200, { 'content-type': 'text/css' }).end('body { background: red }');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function hostileArticle(): string {
  return [
    '---',
    'headline: 敌意内容测试',
    '---',
    '',
    '第一段正文。<script>document.body.append("PWNED-SCRIPT")</script><img src="x.png" onerror="document.body.append(\'PWNED-ONERROR\')">',
    '',
    '<iframe src="file:///etc/passwd"></iframe>',
    '',
    '<object data="file:///etc/passwd" type="text/plain"></object>',
    '',
    `<link rel="stylesheet" href="${origin}/remote.css">`,
    '',
    `<style>@import url(${origin}/import.css); p { color: red }</style>`,
    '',
    '[危险链接](javascript:document.body.append("PWNED-LINK"))',
    '',
    '<svg onload="document.body.append(\'PWNED-SVG\')"><script>document.body.append("PWNED-SVG2")</script></svg>',
    '',
    `![远程图片](${origin}/ok.png)`,
    '',
    '![上级目录](../../../../../../etc/hostname)',
    '',
    '![绝对路径](/etc/hostname)',
    '',
    '末段正文。',
    '',
  ].join('\n');
}

async function buildOne(markdown: string, remoteImages?: { timeoutMs: number; maxBytes: number }): Promise<{ report: ArticleReport; out: string }> {
  const dir = articleFolder({ 'hostile.md': markdown });
  folders.push(dir);
  const out = join(dir, 'output');
  const { articles } = await build({ paths: [join(dir, 'hostile.md')], cwd: dir, outDir: out, formats: ['pdf', 'epub'], write: true, remoteImages });
  return { report: articles[0]!, out };
}

const blockedMessages = (report: ArticleReport) => report.messages.filter((message) => message.rule === 'blocked-request').map((message) => message.message);

describe('hostile content in a real build', () => {
  it('runs nothing, reads no local file, makes no request, and says what it blocked', async () => {
    const before = requests.length;
    const { report, out } = await buildOne(hostileArticle());
    expect(report.ok).toBe(true);
    expect(requests.slice(before)).toEqual([]);

    const pdfText = spawnSync('pdftotext', ['-raw', join(out, 'hostile', 'hostile.pdf'), '-'], { encoding: 'utf8' }).stdout;
    expect(pdfText).toContain('第一段正文。');
    expect(pdfText).toContain('末段正文。');
    expect(pdfText).not.toMatch(/PWNED|root:|localhost|passwd/);
    const hostname = readFileSync('/etc/hostname', 'utf8').trim();
    if (hostname.length > 3) expect(pdfText).not.toContain(hostname);

    const zip = await JSZip.loadAsync(readFileSync(join(out, 'hostile', 'hostile.epub')));
    const everything = (await Promise.all(Object.values(zip.files).map((entry) => entry.async('string')))).join('\n');
    expect(everything).toContain('末段正文。');
    expect(everything).not.toMatch(/PWNED|root:x|<script|<iframe|<object|onerror|onload|javascript:|127\.0\.0\.1|@import/);

    const blocked = blockedMessages(report);
    expect(blocked).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^not loaded: ${origin}/ok\\.png — it is on the network .* pass --allow-remote`)),
        expect.stringMatching(/^not loaded: file:\/\/\/etc\/hostname — \/etc\/hostname is outside the article’s folder/),
      ]),
    );
    // Both the `../../` path and the absolute path resolve to /etc/hostname; each is refused.
    expect(blocked.filter((message) => message.includes('/etc/hostname is outside')).length).toBeGreaterThanOrEqual(1);
    const sanitized = report.messages.filter((message) => message.rule === 'raw-html');
    expect(sanitized.map((message) => message.line)).toEqual(expect.arrayContaining([5, 7, 9, 11, 13, 17]));
    // The javascript: link is Markdown, not raw HTML: its target goes all the same, said as such.
    expect(report.messages.filter((message) => message.rule === 'unsafe-url').map((message) => message.line)).toEqual([15]);
  });

  it('with remote images allowed, fetches a good one and refuses one too large, too slow or not an image', async () => {
    const before = requests.length;
    const markdown = ['---', 'headline: 远程图片', '---', '', ...['ok', 'big', 'slow', 'page'].map((name) => `![${name}](${origin}/${name}.png)\n`), '正文。', ''].join('\n');
    const started = Date.now();
    const { report, out } = await buildOne(markdown, { timeoutMs: 1500, maxBytes: 100_000 });
    const elapsed = Date.now() - started;
    expect(report.ok).toBe(true);
    expect(requests.slice(before).sort()).toEqual(['/big.png', '/ok.png', '/page.png', '/slow.png']);
    const blocked = blockedMessages(report);
    expect(blocked).toHaveLength(3);
    expect(blocked.find((message) => message.includes('/big.png'))).toMatch(/over the 0\.1 MB limit for remote images/);
    expect(blocked.find((message) => message.includes('/slow.png'))).toMatch(/did not arrive within 1\.5 s/);
    expect(blocked.find((message) => message.includes('/page.png'))).toMatch(/sent text\/html rather than an image/);
    // The one image that arrived is in the PDF.
    const images = spawnSync('pdfimages', ['-list', join(out, 'hostile', 'hostile.pdf')], { encoding: 'utf8' }).stdout.split('\n').slice(2).filter(Boolean);
    expect(images, images.join('\n')).toHaveLength(1);
    expect(images[0]).toMatch(/^\s*1\s+0\s+image\s+300\s+400\b/);
    expect(elapsed).toBeLessThan(60_000);
  });
});
