// The one browser of a build. Found in the order DESIGN.md fixes:
// PUPPETEER_EXECUTABLE_PATH → Puppeteer's own download → the system's
// Chrome/Chromium → an error that says how to get one.
import { existsSync } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer';

export const SYSTEM_BROWSERS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/** Longest a single DevTools call may take: far beyond any article's time limit, only against a browser that stopped answering. */
export const PROTOCOL_TIMEOUT_MS = 3_600_000;

export class BrowserNotFoundError extends Error {
  constructor(tried: string[]) {
    super(
      [
        'no Chrome or Chromium found for printing. Tried:',
        ...tried.map((path) => `  ${path}`),
        'Install one: `apt-get install chromium` (Debian/Ubuntu), or `npx puppeteer browsers install chrome`,',
        'or point PUPPETEER_EXECUTABLE_PATH at an existing Chrome/Chromium binary.',
      ].join('\n'),
    );
    this.name = 'BrowserNotFoundError';
  }
}

export function findBrowser(env: NodeJS.ProcessEnv = process.env, systemBrowsers: readonly string[] = SYSTEM_BROWSERS): string {
  const tried: string[] = [];
  const fromEnv = env.PUPPETEER_EXECUTABLE_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    tried.push(`${fromEnv} (PUPPETEER_EXECUTABLE_PATH: no such file)`);
  }
  try {
    const downloaded = puppeteer.executablePath();
    if (existsSync(downloaded)) return downloaded;
    tried.push(`${downloaded} (Puppeteer's download: not there)`);
  } catch {
    tried.push("Puppeteer's own download (none configured)");
  }
  for (const path of systemBrowsers) {
    if (existsSync(path)) return path;
    tried.push(path);
  }
  throw new BrowserNotFoundError(tried);
}

export interface LaunchOptions {
  /** false when the caller closes the browser on Ctrl-C / SIGTERM itself (the CLI does, to clean up first). */
  handleSignals?: boolean;
}

export async function launchBrowser(executablePath = findBrowser(), options: LaunchOptions = {}): Promise<Browser> {
  const args = [
    '--headless=new',
    '--disable-gpu',
    '--no-first-run',
    '--no-default-browser-check',
    // The print page loads nothing from the network; keep Chromium's own traffic off too.
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--disable-dev-shm-usage',
    // Glyph outlines unhinted: the PDF and the preview agree on every machine.
    '--font-render-hinting=none',
    // The print page reads its fonts and stylesheets from file:// URLs.
    '--allow-file-access-from-files',
  ];
  // Chromium refuses its sandbox as root (CI runs as root).
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  const handleSignals = options.handleSignals ?? true;
  return puppeteer.launch({
    executablePath,
    headless: true,
    args,
    pipe: true,
    handleSIGINT: handleSignals,
    handleSIGTERM: handleSignals,
    handleSIGHUP: handleSignals,
    // One call on a very long article (reading the lines of 1.7 M characters) can take minutes on a loaded
    // machine; Puppeteer's 180 s per call would fail it with an error naming nothing. The article's own time
    // limit (BrowserSession) bounds the page's work.
    protocolTimeout: PROTOCOL_TIMEOUT_MS,
  });
}
