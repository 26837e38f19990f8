// fontverter 2.0 (subset-font's own WOFF/WOFF2 converter) ships no types; this is the part of its API we call.
declare module 'fontverter' {
  const fontverter: {
    convert(font: Buffer, toFormat: 'sfnt' | 'truetype' | 'woff' | 'woff2', fromFormat?: string): Promise<Buffer>;
  };
  export default fontverter;
}
