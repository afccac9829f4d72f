import { get, query } from './api.js';
import { clipped, field, h, replace, stamp } from './dom.js';
import { bulkReplay } from './bulk.js';
import { submitFilters, suggestions, timeRangeInputs, vocabulary } from './filters.js';
import { pager, withoutEmpty } from './pager.js';

const PAGE = 50;
const FILTERS = ['q', 'workflow', 'sender', 'recipient', 'reason', 'from', 'to'];

/** Failed messages: filters and search live in the address, so a view can be bookmarked or sent to a colleague. */
export async function failedPage(ctx) {
  const view = readView(ctx.params);
  const show = (changes) => ctx.go('failed', withoutEmpty({ ...view, ...changes }));
  const results = h('div', { class: 'results' }, h('p', {}, 'Loading…'));
  const bulk = h('div');
  replace(ctx.root, h('h1', { tabindex: '-1' }, 'Failed messages'), filterForm(view, show, await vocabulary()), results, bulk);

  let stopBulk;
  try {
    const data = await get(`/failed${query({ ...view, limit: PAGE })}`);
    ctx.loaded();
    replace(results, summary(view, data), listing(view, data.items, show), pager(view.offset, data.total, PAGE, show, 'Pages of results'));
    if (ctx.can('operator') && data.total > 0) {
      const replayAll = bulkReplay(ctx, filterOf(view), data.total);
      stopBulk = replayAll.stop;
      replace(bulk, replayAll.element);
    }
  } catch (err) {
    replace(results, ctx.problem(err));
  }
  return () => stopBulk?.();
}

function readView(params) {
  const view = Object.fromEntries(FILTERS.map((k) => [k, params.get(k) ?? '']));
  view.sort = params.get('sort') === 'receivedAt' ? 'receivedAt' : 'failedAt';
  view.order = params.get('order') === 'asc' ? 'asc' : 'desc';
  view.offset = Math.max(0, Number(params.get('offset')) || 0);
  return view;
}

const filterOf = (view) => withoutEmpty(Object.fromEntries(FILTERS.map((k) => [k, view[k]])));

function filterForm(view, show, words) {
  const input = (name, attrs = {}) => h('input', { name, value: view[name], ...attrs });
  const q = input('q', { type: 'search', placeholder: 'message id, local id or NHS number', size: 36 });
  const fields = {
    q,
    workflow: input('workflow', { list: 'workflows' }),
    sender: input('sender', { placeholder: 'mailbox', list: 'mailboxes' }),
    recipient: input('recipient', { placeholder: 'mailbox', list: 'mailboxes' }),
    reason: input('reason', { list: 'reasons' }),
    ...timeRangeInputs(view),
  };
  const submit = submitFilters(fields, show);
  const clear = () => show(Object.fromEntries([...FILTERS.map((k) => [k, '']), ['offset', 0]]));
  return h('form', { class: 'filters', role: 'search', onsubmit: submit },
    field('Search (exact)', q),
    h('div', { class: 'row' },
      field('Workflow', fields.workflow), field('Sender', fields.sender), field('Recipient', fields.recipient), field('Reason', fields.reason)),
    h('div', { class: 'row' }, field('Failed from (UTC)', fields.from), field('Failed to (UTC)', fields.to)),
    suggestions('workflows', words.workflows), suggestions('mailboxes', words.mailboxes), suggestions('reasons', words.reasons),
    h('div', { class: 'row' },
      h('button', { type: 'submit' }, 'Search'), ' ',
      h('button', { type: 'button', class: 'secondary', onclick: clear }, 'Clear filters')));
}

function summary(view, data) {
  if (data.total === 0) return h('p', { class: 'count' }, 'No failed messages match.');
  const last = Math.min(view.offset + data.items.length, data.total);
  return h('p', { class: 'count', role: 'status' }, `${data.total} failed message${data.total === 1 ? '' : 's'} match; showing ${view.offset + 1}–${last}.`);
}

/** A column that sorts: a button that says which way it sorts now and flips on click. */
function sortHeader(view, key, label, show) {
  const active = view.sort === key;
  const next = active && view.order === 'desc' ? 'asc' : 'desc';
  const arrow = active ? (view.order === 'desc' ? ' ↓' : ' ↑') : '';
  return h('th', { scope: 'col', 'aria-sort': active ? (view.order === 'desc' ? 'descending' : 'ascending') : null },
    h('button', { type: 'button', class: 'link', onclick: () => show({ sort: key, order: next, offset: 0 }) }, label + arrow));
}

function listing(view, items, show) {
  if (items.length === 0) return null;
  const headers = [sortHeader(view, 'failedAt', 'Failed', show), sortHeader(view, 'receivedAt', 'Received', show),
    ...['Message', 'Workflow', 'From', 'To', 'Local id', 'NHS number', 'Reason', 'Tries'].map((t) => h('th', { scope: 'col' }, t))];
  const row = (m) => h('tr', {}, [
    stamp(m.failedAt), stamp(m.receivedAt),
    h('a', { href: `#/message/${encodeURIComponent(m.messageId)}` }, m.messageId),
    m.workflowId, m.from, m.to, clipped(m.localId), m.nhsNumber, h('span', { class: 'reason' }, m.reason), m.attempts,
  ].map((cell) => h('td', {}, cell ?? '—')));
  return h('table', { class: 'failed' }, h('thead', {}, h('tr', {}, headers)), h('tbody', {}, items.map(row)));
}
