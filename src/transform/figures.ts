// Photos from the front matter become figures after the headline block: a
// frame (the photo, or a neutral placeholder when `src` is missing — never a
// fake image) and a caption with the name, then the title.
import type { Element, Root } from 'hast';
import { h } from 'hastscript';
import type { VFile } from 'vfile';
import type { Photo } from '../content/schema.js';

export default function figures() {
  return (tree: Root, file: VFile): void => {
    const photos = file.data.frontMatter?.photos ?? [];
    if (photos.length === 0) return;
    const article = tree.children.find((node): node is Element => node.type === 'element' && node.tagName === 'article');
    if (!article) throw new Error('figures runs after articleStructure');
    const strip = h(
      'section.portraits',
      { ariaLabel: '人物' },
      photos.map((photo, index) => figure(photo, index)),
    );
    article.children.splice(1, 0, strip);
    for (const [index, photo] of photos.entries()) {
      if (!photo.src) {
        const line = file.data.frontMatterLines?.[`photos.${index}`];
        file.message(`photo ${index + 1} (${photo.name ?? photo.caption}) has no \`src\`; it is printed as an empty frame — add \`src: <image file>\` when the photo arrives`, {
          place: line ? { line, column: 1 } : undefined,
          ruleId: 'photo-missing',
          source: 'presswork',
        });
      }
    }
  };
}

export function figure(photo: Photo, index: number): Element {
  const alt = [photo.name, photo.caption].filter(Boolean).join('，');
  const frame = photo.src
    ? h('img.photo', { src: photo.src, alt })
    : h('div.photo.placeholder', { role: 'img', ariaLabel: `${alt}（照片暂缺）` });
  return h('figure.portrait', { id: `photo-${index + 1}` }, [
    frame,
    h('figcaption', [
      photo.name ? h('span.name', photo.name) : undefined,
      h('span.caption', photo.caption),
      photo.credit ? h('span.credit', photo.credit) : undefined,
    ]),
  ]);
}
