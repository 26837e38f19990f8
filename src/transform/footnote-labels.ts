// Markdown → the article tree (remark-rehype), with GFM footnotes' own words —
// the notes' heading and each back link's name — in the article's language
// rather than remark-rehype's English. Raw HTML stays raw here; raw-html.ts
// parses and cleans it.
import type { Root as HastRoot } from 'hast';
import type { Root as MdastRoot } from 'mdast';
import remarkRehype, { type Options } from 'remark-rehype';
import type { VFile } from 'vfile';

export type FootnoteLabels = Required<Pick<Options, 'footnoteLabel' | 'footnoteBackLabel'>>;

/** The n-th reference (1-based), and the how-many-th call of the same note after the first. */
const backNumber = (referenceIndex: number, rereferenceIndex: number) => `${referenceIndex + 1}${rereferenceIndex > 1 ? `-${rereferenceIndex}` : ''}`;

const SIMPLIFIED: FootnoteLabels = { footnoteLabel: '注释', footnoteBackLabel: (reference, again) => `返回引用 ${backNumber(reference, again)}` };
const TRADITIONAL: FootnoteLabels = { footnoteLabel: '註釋', footnoteBackLabel: (reference, again) => `返回引用 ${backNumber(reference, again)}` };
const ENGLISH: FootnoteLabels = { footnoteLabel: 'Footnotes', footnoteBackLabel: (reference, again) => `Back to reference ${backNumber(reference, again)}` };

/** Chinese in simplified or traditional characters by the tag's script or region; any other language reads the English. */
export function footnoteLabels(lang: string): FootnoteLabels {
  const tag = lang.toLowerCase();
  if (!/^zh(-|$)/.test(tag)) return ENGLISH;
  if (/-hans(-|$)/.test(tag)) return SIMPLIFIED;
  return /-(hant|tw|hk|mo)(-|$)/.test(tag) ? TRADITIONAL : SIMPLIFIED;
}

export default function footnoteLabelsInLanguage() {
  return (tree: MdastRoot, file: VFile): HastRoot => remarkRehype({ allowDangerousHtml: true, ...footnoteLabels(file.data.frontMatter?.lang ?? 'zh-CN') })(tree, file);
}
