// 小标题: Markdown headings in the body are the article's section heads. The
// headline is the page's only h1, so body headings start at h2; each gets an
// ASCII id for the PDF outline and the EPUB nav.
import type { Element, Root } from 'hast';
import { toText } from 'hast-util-to-text';
import type { VFile } from 'vfile';
import { visit } from 'unist-util-visit';

export interface SectionHead {
  id: string;
  text: string;
  level: 2 | 3;
}

declare module 'vfile' {
  interface DataMap {
    sectionHeads: SectionHead[];
  }
}

const headingLevel: Record<string, 2 | 3> = { h1: 2, h2: 2, h3: 3, h4: 3, h5: 3, h6: 3 };

export default function sectionHeads() {
  return (tree: Root, file: VFile): void => {
    const heads: SectionHead[] = [];
    visit(tree, 'element', (node: Element) => {
      const level = headingLevel[node.tagName];
      if (!level) return;
      const text = toText(node);
      if (text.trim() === '') {
        // A `##` line with nothing after it (or only an image): no entry in the outline or the EPUB's
        // nav, where a link must have text (EPUBCheck fails an empty one).
        node.tagName = `h${level}`;
        node.properties = { ...node.properties, className: ['section-head'] };
        file.message('a section head with no text; give it its words after the `#` marks, or delete the line', { place: node.position, ruleId: 'empty-heading', source: 'presswork' });
        return;
      }
      // The footnotes' heading keeps the id its references point to (aria-describedby="footnote-label").
      const id = node.properties.id === 'footnote-label' ? 'footnote-label' : `section-${heads.length + 1}`;
      node.tagName = `h${level}`;
      node.properties = { ...node.properties, id, className: ['section-head'] };
      heads.push({ id, text, level });
    });
    file.data.sectionHeads = heads;
  };
}
