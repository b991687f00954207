// Paging for lists: page numbers (page/size), or, where a list answer carries the cursor of its next
// page (NEXT_FIELD, the agent list's keyset paging), that cursor (CURSOR_PARAM) instead of a page
// number, so deep pages cost what the first does. An estimated total (total_exact: false) reads "about".
import {h} from './dom.js';

export const NEXT_FIELD = 'next';
export const CURSOR_PARAM = 'cursor';

export class Pager {
  constructor(size = 20) {
    this.size = size;
    this.reset();
  }

  reset() {
    this.page = 0;
    this.cursor = null;
    this.previous = [];
  }

  /** Query parameters for the current page. */
  parameters() {
    return this.cursor ? {[CURSOR_PARAM]: this.cursor, size: this.size} : {page: this.page, size: this.size};
  }

  hasNext(body) {
    if (body && NEXT_FIELD in body) return Boolean(body[NEXT_FIELD]);
    if (body && typeof body.total === 'number') return (this.page + 1) * this.size < body.total;
    return Boolean(body) && body.count === this.size;
  }

  next(body) {
    this.previous.push({page: this.page, cursor: this.cursor});
    this.cursor = body && body[NEXT_FIELD] ? body[NEXT_FIELD] : null;
    this.page += 1;
  }

  back() {
    const last = this.previous.pop();
    if (last) {
      this.page = last.page;
      this.cursor = last.cursor;
    }
  }

  describe(body, noun) {
    const shown = body && typeof body.count === 'number' ? body.count : 0;
    if (body && typeof body.total === 'number' && body.total_exact === false) {
      return `Page ${this.page + 1} · ${shown} of about ${body.total} ${noun}`;
    }
    if (body && typeof body.total === 'number') {
      const pages = Math.max(1, Math.ceil(body.total / this.size));
      return `Page ${this.page + 1} of ${pages} · ${shown} of ${body.total} ${noun}`;
    }
    return `Page ${this.page + 1} · ${shown} ${noun}`;
  }

  /** Previous/next buttons; reload() fetches the page the pager now points at. */
  controls(body, noun, reload) {
    return h('nav', {class: 'pager', 'aria-label': `${noun} pages`},
      h('button', {type: 'button', disabled: this.previous.length === 0,
        onclick: () => { this.back(); reload(); }}, '← Previous'),
      h('span', {class: 'pager-state', 'aria-live': 'polite'}, this.describe(body, noun)),
      h('button', {type: 'button', disabled: !this.hasNext(body),
        onclick: () => { this.next(body); reload(); }}, 'Next →'));
  }
}
