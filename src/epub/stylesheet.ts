// The EPUB's own stylesheet: light, reflowable, leaving fonts and sizes to the
// reader; the page's grid and columns do not belong in an e-book.
export const EPUB_STYLESHEET = `body { margin: 0 4%; line-height: 1.8; text-align: justify; }
.headline-block { margin: 1em 0 1.5em; text-align: center; }
.kicker, .deck, .byline { margin: 0.3em 0; text-indent: 0; }
.headline { margin: 0.3em 0; font-size: 1.6em; line-height: 1.4; font-weight: bold; }
.deck { font-size: 1.1em; }
.byline { font-size: 0.9em; }
.portraits { margin: 1em 0 1.5em; }
.portrait { margin: 0.8em 0; }
.portrait figcaption { font-size: 0.9em; line-height: 1.6; }
.portrait .name { display: block; font-weight: bold; }
.portrait .caption { display: block; }
.portrait .credit { display: block; font-size: 0.85em; }
.article-body p { margin: 0; text-indent: 2em; }
.section-head { margin: 1.2em 0 0.6em; font-size: 1.1em; font-weight: bold; text-align: center; }
`;
