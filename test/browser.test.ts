import { describe, expect, it } from 'vitest';
import { BrowserNotFoundError, findBrowser } from '../src/print/browser.js';

describe('findBrowser', () => {
  it('takes PUPPETEER_EXECUTABLE_PATH first when it exists', () => {
    expect(findBrowser({ PUPPETEER_EXECUTABLE_PATH: process.execPath }, ['/usr/bin/env'])).toBe(process.execPath);
  });

  it('falls through a PUPPETEER_EXECUTABLE_PATH that does not exist to the system browser', () => {
    // Puppeteer's own download is skipped in this project (.puppeteerrc.cjs), so the system list decides.
    expect(findBrowser({ PUPPETEER_EXECUTABLE_PATH: '/nowhere/chrome' }, ['/nowhere/chromium', '/usr/bin/env'])).toBe('/usr/bin/env');
  });

  it('says what it tried and how to get a browser when there is none', () => {
    let error: unknown;
    try {
      findBrowser({ PUPPETEER_EXECUTABLE_PATH: '/nowhere/chrome' }, ['/nowhere/chromium']);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BrowserNotFoundError);
    const message = (error as Error).message;
    expect(message).toContain('/nowhere/chrome (PUPPETEER_EXECUTABLE_PATH: no such file)');
    expect(message).toContain('/nowhere/chromium');
    expect(message).toContain('apt-get install chromium');
  });
});
