// `--browser-ws <url>`: print on a Chrome that already runs elsewhere (a
// browserless/Chrome container, a pool behind a load balancer) instead of
// launching one. The build only disconnects from it at the end.
import puppeteer, { type Browser } from 'puppeteer';
import { BrowserSession, PROTOCOL_TIMEOUT_MS } from '../print/index.js';
import { UsageError } from './sources.js';

export function checkBrowserWSEndpoint(browserWSEndpoint: string): void {
  if (!/^wss?:\/\/[^/]/.test(browserWSEndpoint)) {
    throw new UsageError(`--browser-ws takes the browser's DevTools WebSocket URL, ws://host:port/devtools/browser/… (got "${browserWSEndpoint}")`);
  }
}

export async function connectBrowser(browserWSEndpoint: string): Promise<Browser> {
  checkBrowserWSEndpoint(browserWSEndpoint);
  try {
    return await puppeteer.connect({ browserWSEndpoint, protocolTimeout: PROTOCOL_TIMEOUT_MS });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `cannot reach the browser at ${browserWSEndpoint} (${reason}); check that it is running and that the URL is its current webSocketDebuggerUrl (http://host:port/json/version lists it)`,
    );
  }
}

/** A session on the remote browser: reconnects if the connection drops, and disconnects (never closes) at the end. */
export function remoteSession(browserWSEndpoint: string): BrowserSession {
  checkBrowserWSEndpoint(browserWSEndpoint);
  return new BrowserSession({ launch: () => connectBrowser(browserWSEndpoint), release: (browser) => browser.disconnect() });
}
