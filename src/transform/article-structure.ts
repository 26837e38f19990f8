// The article as one tree for the page and the EPUB alike:
//   <article lang> <header class=headline-block> 引题 / 主题 / 副题 / byline </header>
//                  <div class=article-body> … </div> </article>
// Front-matter text is set as written: the desk's dashes and □ stay.
import type { Element, ElementContent, Root } from 'hast';
import { h } from 'hastscript';
import type { VFile } from 'vfile';

export default function articleStructure() {
  return (tree: Root, file: VFile): void => {
    const frontMatter = file.data.frontMatter;
    if (!frontMatter) throw new Error('articleStructure needs file.data.frontMatter (load the article first)');
    const header = h('header.headline-block', [
      frontMatter.kicker ? h('p.kicker', frontMatter.kicker) : undefined,
      h('h1.headline#headline', frontMatter.headline),
      frontMatter.deck ? h('p.deck', frontMatter.deck) : undefined,
      frontMatter.byline ? h('p.byline', frontMatter.byline) : undefined,
    ]);
    const body = h('div.article-body', tree.children.filter(isContent));
    const article: Element = h('article.article', { lang: frontMatter.lang }, [header, body]);
    tree.children = [article];
  };
}

function isContent(node: Root['children'][number]): node is ElementContent {
  return node.type !== 'doctype';
}
