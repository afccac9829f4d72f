/* global document, Node */
import { time } from './format.js';
/**
 * Builds the page from elements and text nodes only: every string, whether written here or
 * sent by the server (message content included), becomes text and can never become markup.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

/** `h('a', { href: '#/x', onclick: fn }, 'text', child)`: attributes set one by one, children appended as nodes. */
export function h(tag, attrs = {}, ...children) {
  return build(document.createElement(tag), attrs, children);
}

export function svg(tag, attrs = {}, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

function build(el, attrs, children) {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/** Appends nodes as they are and anything else as a text node; skips empty values. */
export function append(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** A message for the user, read out by screen readers when it appears. */
export function notice(kind, ...text) {
  return h('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, ...text);
}

/** A table with a header row; `rows` are arrays of cells (strings or nodes). */
export function table(headers, rows, caption) {
  return h('table', {},
    caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {}, headers.map((th) => h('th', { scope: 'col' }, th)))),
    h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((td) => h('td', {}, td))))));
}

/** A label and its field, for forms. */
export function field(label, input) {
  return h('label', { class: 'field' }, h('span', {}, label), input);
}

/** A time in a list: its date and its time of day may sit on two lines, each whole, so narrow screens keep every column. */
export function stamp(iso) {
  const [date, ...clock] = time(iso).split(' ');
  return h('time', { class: 'stamp', datetime: iso }, h('span', {}, date), clock.length ? [' ', h('span', {}, clock.join(' '))] : null);
}

/** Text cut to its column, whole in its tooltip: for free-form values such as local ids. */
export function clipped(text) {
  return text ? h('span', { class: 'clip', title: text }, text) : null;
}
