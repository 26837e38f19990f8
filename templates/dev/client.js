// presswork dev client: injected only by `presswork dev`, never into a build.
// Reloads the page when the server has laid its article out again, and
// outlines the preflight faults on the page. A fault is placed by the first
// of: rect (CSS px; relative to page `page`'s .page box, else to the
// document), blockId / block + line, the line's text, a character, the page.
(() => {
  const dataElement = document.getElementById('presswork-dev');
  const data = dataElement ? JSON.parse(dataElement.textContent || '{}') : {};

  const events = new EventSource('/_dev/events');
  events.addEventListener('reload', (event) => {
    const change = JSON.parse(event.data);
    // The index shows every article; an article page only its own.
    if (!data.slug || change.slug === data.slug) location.reload();
  });

  const faults = Array.isArray(data.faults) ? data.faults : [];
  if (faults.length === 0) return;

  const BLOCKS = '.article-body :is(p, h2, h3, li, blockquote > p)';

  /** The printed lines of a block: characters grouped by baseline, as the preflight reads them. */
  function linesOf(block) {
    const lines = [];
    const range = document.createRange();
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const value = node.data;
      for (let offset = 0; offset < value.length; ) {
        const width = (value.codePointAt(offset) || 0) > 0xffff ? 2 : 1;
        range.setStart(node, offset);
        range.setEnd(node, offset + width);
        const rect = range.getClientRects()[0];
        const char = value.slice(offset, offset + width);
        offset += width;
        if (!rect || (rect.width === 0 && /\s/.test(char))) continue;
        const current = lines[lines.length - 1];
        if (!current || Math.abs(rect.top - current.top) > rect.height / 2) {
          lines.push({ text: char, top: rect.top, left: rect.left, right: rect.right, bottom: rect.bottom });
        } else {
          current.text += char;
          current.left = Math.min(current.left, rect.left);
          current.right = Math.max(current.right, rect.right);
          current.bottom = Math.max(current.bottom, rect.bottom);
        }
      }
    }
    return lines.map((line) => ({ text: line.text, box: { x: line.left, y: line.top, width: line.right - line.left, height: line.bottom - line.top } }));
  }

  const squeeze = (text) => String(text).replace(/\s+/g, '');

  /** Client boxes (viewport coordinates) that show where a fault is. */
  function place(fault) {
    const pages = document.querySelectorAll('.page');
    const pageBox = fault.page ? pages[fault.page - 1] : undefined;
    if (fault.rect) {
      const origin = pageBox ? pageBox.getBoundingClientRect() : { left: -scrollX, top: -scrollY };
      return [{ x: origin.left + fault.rect.x, y: origin.top + fault.rect.y, width: fault.rect.width, height: fault.rect.height }];
    }
    const blocks = [...document.querySelectorAll(BLOCKS)];
    let candidates = blocks;
    if (fault.blockId) {
      const block = document.getElementById(fault.blockId);
      candidates = block ? [block] : [];
    } else if (Number.isInteger(fault.block) && blocks[fault.block]) {
      candidates = [blocks[fault.block]];
    }
    if (fault.blockId || fault.block !== undefined || fault.text !== undefined) {
      const boxes = [];
      for (const block of candidates) {
        const lines = linesOf(block);
        for (const [index, line] of lines.entries()) {
          const byNumber = Number.isInteger(fault.line) ? index === fault.line : true;
          const byText = fault.text !== undefined ? squeeze(line.text) === squeeze(fault.text) : true;
          if (byNumber && byText) boxes.push(line.box);
        }
      }
      if (boxes.length > 0) return boxes;
    }
    if (fault.char) {
      const boxes = [];
      const range = document.createRange();
      const root = document.querySelector('.page') ? document.querySelectorAll('.page') : [document.body];
      for (const scope of root) {
        const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (let at = node.data.indexOf(fault.char); at >= 0; at = node.data.indexOf(fault.char, at + fault.char.length)) {
            range.setStart(node, at);
            range.setEnd(node, at + fault.char.length);
            const rect = range.getBoundingClientRect();
            boxes.push({ x: rect.left, y: rect.top, width: Math.max(rect.width, 4), height: rect.height });
          }
        }
      }
      if (boxes.length > 0) return boxes;
    }
    // No finer place: the body of its page (overflow, fill, balance), or the page.
    const scope = pageBox || pages[0];
    const body = scope && scope.querySelector('.article-body');
    const whole = body || scope;
    if (!whole) return [];
    const rect = whole.getBoundingClientRect();
    return [{ x: rect.left, y: rect.top, width: rect.width, height: rect.height }];
  }

  const layer = document.createElement('div');
  layer.className = 'pw-dev-overlay';
  layer.setAttribute('aria-hidden', 'true');

  function draw() {
    layer.replaceChildren();
    faults.forEach((fault, index) => {
      for (const box of place(fault)) {
        const outline = document.createElement('div');
        outline.className = 'pw-outline';
        outline.dataset.fault = String(index);
        outline.dataset.check = fault.check;
        outline.title = `${fault.check}: ${fault.message}`;
        outline.style.left = `${box.x + scrollX - 2}px`;
        outline.style.top = `${box.y + scrollY - 1}px`;
        outline.style.width = `${box.width + 4}px`;
        outline.style.height = `${box.height + 2}px`;
        layer.append(outline);
      }
    });
    document.body.append(layer);
    document.documentElement.dataset.pwOutlines = String(layer.childElementCount);
  }

  // Entries in the panel scroll to their outline.
  document.addEventListener('click', (event) => {
    const item = event.target instanceof Element ? event.target.closest('.pw-fault') : null;
    if (!item) return;
    const outline = layer.querySelector(`.pw-outline[data-fault="${item.getAttribute('data-fault')}"]`);
    if (!outline) return;
    outline.scrollIntoView({ block: 'center', inline: 'center', behavior: 'smooth' });
    outline.classList.remove('pw-flash');
    void outline.offsetWidth;
    outline.classList.add('pw-flash');
  });

  // Lines exist once the fonts are in.
  document.fonts.ready.then(draw);
  addEventListener('resize', draw);
})();
