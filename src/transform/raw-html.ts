// Raw HTML in an article is not printed (remark-rehype drops it). Say so, with
// the line, so no text disappears silently.
import type { Html, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';

export default function rawHtml() {
  return (tree: Root, file: VFile): void => {
    visit(tree, 'html', (node: Html) => {
      const snippet = node.value.length > 40 ? `${node.value.slice(0, 40)}…` : node.value;
      file.message(`raw HTML \`${snippet}\` is not printed; write it as Markdown instead`, {
        place: node.position,
        ruleId: 'raw-html',
        source: 'presswork',
      });
    });
  };
}
