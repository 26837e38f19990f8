// A GFM table's column alignment (`:--`, `:-:`, `--:`) becomes a class on its
// cells (`align-left`, `align-center`, `align-right`), styled by the template:
// `align` is obsolete in the EPUB's XHTML 5 and the sanitizer keeps no
// presentational attributes. It runs before raw HTML is parsed into the tree,
// so only the cells Markdown made are touched.
import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';

export const ALIGNMENTS = ['left', 'center', 'right'] as const;

export const alignmentClass = (alignment: (typeof ALIGNMENTS)[number]) => `align-${alignment}`;

export default function tableAlignment() {
  return (tree: Root): void => {
    visit(tree, 'element', (node: Element) => {
      if (node.tagName !== 'td' && node.tagName !== 'th') return;
      const { align, ...rest } = node.properties;
      if (align === undefined) return;
      const alignment = ALIGNMENTS.find((candidate) => candidate === align);
      node.properties = alignment ? { ...rest, className: [alignmentClass(alignment)] } : rest;
    });
  };
}
