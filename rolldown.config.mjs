// The `presswork` command as a few bundled files (dist/bundle/), built from tsc's
// output in dist/. Node's module loader took about 1 CPU-second of every cold build
// to find, read and link the ~800 files the pipeline imports; one bundle cuts a cold
// seed build's CPU by about as much. The library (dist/index.js) stays as tsc wrote it.
// Packages with native code or WebAssembly load from node_modules as they are.
export default {
  input: { presswork: 'dist/cli.js' },
  platform: 'node',
  external: [/^node:/, 'sharp', 'puppeteer', 'puppeteer-core', 'subset-font', 'fontverter'],
  output: { dir: 'dist/bundle', cleanDir: true, format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
  logLevel: 'warn',
};
