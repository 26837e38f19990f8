/** The artifacts `presswork build` can write for an article. */
export const FORMATS = ['pdf', 'epub', 'html', 'png'] as const;
export type Format = (typeof FORMATS)[number];
