// What the print page may load: files under its roots (work folder, template,
// fonts, the article's folder) and data: URLs. Everything else is blocked and
// recorded with the reason: remote URLs (unless remote images are allowed,
// then fetched here with a time and size limit), paths that climb out of the
// roots with `../` or name an absolute place elsewhere, symlinks that lead out.
// The template's own fonts and stylesheets are not stopped (see GUARDED).
import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page, Protocol } from 'puppeteer';
import { pathInside, urlScheme } from '../paths.js';

export interface BlockedRequest {
  url: string;
  /** Why, in a sentence the author can act on. */
  reason: string;
}

export interface RemoteImages {
  /** Give up on a remote image after this long (ms). */
  timeoutMs: number;
  /** Refuse a remote image larger than this (bytes). */
  maxBytes: number;
}

export const DEFAULT_REMOTE_IMAGES: RemoteImages = { timeoutMs: 10_000, maxBytes: 20 * 1024 * 1024 };

export interface GuardOptions {
  roots: string[];
  /** Fetch remote images (http/https) within these limits; absent: block them. */
  remoteImages?: RemoteImages;
}

/**
 * What is stopped and judged: every type Chromium's request filter knows (it refuses TextTrack, Prefetch,
 * Manifest and the like, which an article cannot ask for: the sanitizer keeps no <track>, <link> or <video>)
 * but fonts and stylesheets. Only the template asks for those (an article loses every <style>, <link> and
 * style attribute), and the seed's page asks for 65 fonts: a round trip to node each, about 0.5 s of
 * Chromium's time an article.
 */
const GUARDED: Protocol.Network.ResourceType[] = ['Document', 'Image', 'Media', 'Script', 'XHR', 'Fetch', 'EventSource', 'Ping', 'CSPViolationReport', 'Other'];

/** Starts intercepting the page's requests; `blocked` collects what was refused. Returns what stops the guard. */
export async function guardRequests(page: Page, options: GuardOptions, blocked: BlockedRequest[]): Promise<() => Promise<void>> {
  const roots = await Promise.all(options.roots.map(async (root) => realpath(root).catch(() => resolve(root))));
  // Its own DevTools session: Puppeteer's request handling (which pauses every request) stays off.
  const session = await page.createCDPSession();
  // The copyfit lays the page out many times and each layout may ask for its images again: decide, fetch and report each URL once.
  const verdicts = new Map<string, Promise<Verdict>>();
  session.on('Fetch.requestPaused', ({ requestId, request, resourceType }) => {
    const url = request.url;
    const known = verdicts.get(url);
    const verdict = known ?? decide(url, resourceType, roots, options.remoteImages);
    if (!known) verdicts.set(url, verdict);
    void verdict
      .then(async (verdict) => {
        if (verdict.kind === 'allow') return session.send('Fetch.continueRequest', { requestId });
        if (verdict.kind === 'respond') {
          const { status, contentType, body } = verdict.response;
          return session.send('Fetch.fulfillRequest', {
            requestId,
            responseCode: status,
            responseHeaders: [{ name: 'Content-Type', value: contentType }],
            body: Buffer.from(body).toString('base64'),
          });
        }
        if (!known) blocked.push({ url, reason: verdict.reason });
        return session.send('Fetch.failRequest', { requestId, errorReason: 'AccessDenied' });
      })
      // A request the page no longer wants (page closed mid-way) cannot be answered: nothing to do.
      .catch(() => undefined);
  });
  await session.send('Fetch.enable', { patterns: GUARDED.map((resourceType) => ({ urlPattern: '*', resourceType })) });
  return () => session.detach().catch(() => undefined);
}

type Verdict =
  | { kind: 'allow' }
  | { kind: 'block'; reason: string }
  | { kind: 'respond'; response: { status: number; contentType: string; body: Uint8Array } };

async function decide(url: string, resourceType: Protocol.Network.ResourceType, roots: string[], remote: RemoteImages | undefined): Promise<Verdict> {
  if (url.startsWith('data:')) return { kind: 'allow' };
  const scheme = urlScheme(url);
  if (scheme === 'file') return (await insideRoots(url, roots)) ? { kind: 'allow' } : { kind: 'block', reason: outsideReason(url) };
  if (scheme === 'http' || scheme === 'https') {
    if (!remote) {
      return {
        kind: 'block',
        reason: 'it is on the network and the print page loads nothing from the network; put the photo in the article’s folder, or pass --allow-remote to fetch remote images',
      };
    }
    if (resourceType !== 'Image') return { kind: 'block', reason: 'only images may be fetched from the network (--allow-remote), and this is not one' };
    return fetchImage(url, remote);
  }
  return { kind: 'block', reason: `the print page does not load ${scheme ?? 'such'} URLs` };
}

async function insideRoots(url: string, roots: string[]): Promise<boolean> {
  let path: string;
  try {
    path = fileURLToPath(url);
  } catch {
    return false;
  }
  // Symlinks are followed first: a link inside the content folder must not lead out of it.
  const real = await realpath(path).catch(() => resolve(path));
  return roots.some((root) => pathInside(root, real) !== undefined);
}

function outsideReason(url: string): string {
  let path = url;
  try {
    path = fileURLToPath(url);
  } catch {
    // keep the URL
  }
  return `${path} is outside the article’s folder and the template and font folders, and the print page reads nothing else; put the file in the article’s folder (no \`../\` or absolute paths)`;
}

async function fetchImage(url: string, limits: RemoteImages): Promise<Verdict> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(limits.timeoutMs), redirect: 'follow' });
    const type = response.headers.get('content-type') ?? '';
    if (!response.ok) return { kind: 'block', reason: `the server answered ${response.status}; check the photo’s URL` };
    if (!type.startsWith('image/')) return { kind: 'block', reason: `the server sent ${type || 'something'} rather than an image` };
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > limits.maxBytes) {
      await response.body?.cancel();
      return { kind: 'block', reason: tooLarge(declared, limits) };
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = response.body?.getReader();
    for (let part = await reader?.read(); part && !part.done; part = await reader?.read()) {
      size += part.value.byteLength;
      if (size > limits.maxBytes) {
        await reader?.cancel();
        return { kind: 'block', reason: tooLarge(size, limits, true) };
      }
      chunks.push(part.value);
    }
    return { kind: 'respond', response: { status: 200, contentType: type, body: Buffer.concat(chunks) } };
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    return {
      kind: 'block',
      reason: timedOut
        ? `it did not arrive within ${limits.timeoutMs / 1000} s; download the photo into the article’s folder`
        : `it could not be fetched (${error instanceof Error ? error.message : String(error)}); download the photo into the article’s folder`,
    };
  }
}

function tooLarge(bytes: number, limits: RemoteImages, partial = false): string {
  const mb = (value: number) => `${(value / 1024 / 1024).toFixed(1)} MB`;
  return `it is ${partial ? 'more than ' : ''}${mb(bytes)}, over the ${mb(limits.maxBytes)} limit for remote images; download it, scale it down and put it in the article’s folder`;
}
