import { get, id, query } from './api.js';
import { field, h, replace, stamp } from './dom.js';
import { submitFilters, suggestions, timeRangeInputs, vocabulary } from './filters.js';
import { pager, withoutEmpty } from './pager.js';

const PAGE = 50;
const FILTERS = ['user', 'action', 'messageId', 'from', 'to'];

/** Every staff action, newest first, filtered in the address like the failed list. */
export async function auditPage(ctx) {
  const view = Object.fromEntries(FILTERS.map((k) => [k, ctx.params.get(k) ?? '']));
  const offset = Math.max(0, Number(ctx.params.get('offset')) || 0);
  const show = (changes) => ctx.go('audit', withoutEmpty({ ...view, offset, ...changes }));
  const results = h('div', {}, h('p', {}, 'Loading…'));
  replace(ctx.root, h('h1', { tabindex: '-1' }, 'Audit'), filterForm(view, show, await vocabulary()), results);
  try {
    const data = await get(`/audit${query({ ...view, offset, limit: PAGE })}`);
    ctx.loaded();
    replace(results, h('p', { class: 'count', role: 'status' }, `${data.total} event${data.total === 1 ? '' : 's'}.`), listing(data.items), pager(offset, data.total, PAGE, show, 'Pages of events'));
  } catch (err) {
    replace(results, ctx.problem(err));
  }
}

function filterForm(view, show, words) {
  const fields = {
    user: h('input', { name: 'user', value: view.user }),
    action: h('input', { name: 'action', value: view.action, list: 'actions' }),
    messageId: h('input', { name: 'messageId', value: view.messageId, size: 30 }),
    ...timeRangeInputs(view),
  };
  const submit = submitFilters(fields, show);
  return h('form', { class: 'filters', role: 'search', onsubmit: submit },
    h('div', { class: 'row' }, field('User', fields.user), field('Action', fields.action), field('Message id', fields.messageId)),
    h('div', { class: 'row' }, field('From (UTC)', fields.from), field('To (UTC)', fields.to)),
    suggestions('actions', words.actions),
    h('button', { type: 'submit' }, 'Filter'));
}

function listing(items) {
  if (items.length === 0) return null;
  const row = (e) => [stamp(e.at), e.user, e.ip, e.action, messages(e.messageIds ?? []),
    h('span', { class: e.outcome === 'ok' ? 'ok' : 'bad' }, e.outcome), e.detail ?? ''];
  return h('table', { class: 'audit' },
    h('thead', {}, h('tr', {}, ['At', 'User', 'From', 'Action', 'Messages', 'Outcome', 'Detail'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, items.map((e) => h('tr', {}, row(e).map((c) => h('td', {}, c))))));
}

/** A few ids are listed; a bulk replay's hundreds fold away behind their count. */
const FOLD_AFTER = 3;

function messages(ids) {
  if (ids.length === 0) return '—';
  const links = h('ul', { class: 'ids' }, ids.map((m) => h('li', {}, h('a', { href: `#/message/${id(m)}` }, m))));
  return ids.length <= FOLD_AFTER ? links : h('details', {}, h('summary', {}, `${ids.length} messages`), links);
}
