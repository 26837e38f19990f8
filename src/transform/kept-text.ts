// What Markdown would drop without a word: the cells of a table row past its
// header's columns (GFM ignores them), a footnote nothing refers to, and a
// second footnote of one label (only the first is printed). Each is text of
// the source that would reach neither the PDF nor the EPUB, so the article
// fails at its line with what to change.
import type { Root, Table } from 'mdast';
import type { VFile } from 'vfile';
import { visit } from 'unist-util-visit';

export default function keptText() {
  return (tree: Root, file: VFile): void => {
    const fail = (reason: string, place: Table['position'], ruleId: string) => file.fail(reason, { place, ruleId, source: 'presswork' });
    visit(tree, 'table', (table: Table) => {
      const columns = table.children[0]?.children.length ?? 0;
      table.children.forEach((row, index) => {
        if (row.children.length <= columns) return;
        const extra = row.children.length - columns;
        fail(
          `row ${index + 1} of this table has ${row.children.length} cells but its header has ${columns}: the last ${extra === 1 ? 'cell' : `${extra} cells`} would not be printed; add ${extra === 1 ? 'a column' : 'columns'} to the header row, or write a | inside a cell as \\|`,
          row.position,
          'table-cells',
        );
      });
    });
    const referred = new Set<string>();
    visit(tree, 'footnoteReference', (node) => {
      referred.add(node.identifier);
    });
    const defined = new Set<string>();
    visit(tree, 'footnoteDefinition', (node) => {
      const label = `[^${node.label ?? node.identifier}]`;
      if (defined.has(node.identifier)) {
        fail(`a second footnote ${label}: only the first of one label is printed; give this one a label of its own and refer to it`, node.position, 'footnote');
      }
      defined.add(node.identifier);
      if (!referred.has(node.identifier)) {
        fail(`footnote ${label} is never referred to, so its text would not be printed; refer to it in the text with ${label}, or delete it`, node.position, 'footnote');
      }
    });
  };
}
