// Every block of the body gets an id (b-1, b-2, …), so a place in the text —
// where a printed page starts, where a preflight fault sits — can be named the
// same way in the page, the EPUB and the manifest.
import type { Element, Root } from 'hast';

export default function blockIds() {
  return (tree: Root): void => {
    const body = findBody(tree);
    if (!body) return;
    let count = 0;
    for (const child of body.children) {
      if (child.type !== 'element') continue;
      count += 1;
      if (child.properties.id === undefined) child.properties = { ...child.properties, id: `b-${count}` };
    }
  };
}

function findBody(tree: Root): Element | undefined {
  const stack = [...tree.children];
  while (stack.length > 0) {
    const node = stack.shift();
    if (node?.type !== 'element') continue;
    const classes = node.properties.className;
    if (Array.isArray(classes) && classes.includes('article-body')) return node;
    stack.push(...node.children);
  }
  return undefined;
}
