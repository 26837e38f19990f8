// CI machines reach only the npm registry and Debian's apt: Puppeteer's own
// Chrome download would fail `npm ci`. Skip it unless asked for explicitly
// (PUPPETEER_SKIP_DOWNLOAD=0); presswork then falls back to the system Chromium.
module.exports = {
  skipDownload: process.env.PUPPETEER_SKIP_DOWNLOAD !== '0',
};
