import { h } from './dom.js';

/** Previous / next over a list the server pages with offset and limit; nothing when one page holds it all. */
export function pager(offset, total, size, show, label) {
  if (total <= size) return null;
  return h('nav', { class: 'pager', 'aria-label': label },
    h('button', { type: 'button', disabled: offset === 0, onclick: () => show({ offset: Math.max(0, offset - size) }) }, '← Previous page'),
    ` page ${Math.floor(offset / size) + 1} of ${Math.ceil(total / size)} `,
    h('button', { type: 'button', disabled: offset + size >= total, onclick: () => show({ offset: offset + size }) }, 'Next page →'));
}

/** The address parameters worth keeping: no empty filters, no first-page offset. */
export function withoutEmpty(params) {
  return Object.fromEntries(Object.entries(params).filter(([k, v]) => v !== '' && v !== undefined && !(k === 'offset' && v === 0)));
}
