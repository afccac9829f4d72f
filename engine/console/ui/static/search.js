import { get, query } from './api.js';
import { clipped, field, h, replace, stamp } from './dom.js';
import { suggestions, vocabulary } from './filters.js';
import { fromUtcInput, toUtcInput } from './format.js';
import { withoutEmpty } from './pager.js';

const LIMIT = 50;
const FIELDS = ['messageId', 'localId', 'nhsNumber', 'workflow', 'from', 'to', 'since', 'until'];

/**
 * Any message within content retention, delivered, acknowledged or waiting, newest first,
 * through the hub's search index. The API masks NHS numbers and audits a search by one.
 * Pages go on by the cursor the hub gives, kept in the address so the back button works.
 */
export async function searchPage(ctx) {
  const view = Object.fromEntries(FIELDS.map((k) => [k, ctx.params.get(k) ?? '']));
  const cursor = ctx.params.get('cursor') ?? '';
  const show = (changes) => ctx.go('search', withoutEmpty({ ...view, cursor: '', ...changes }));
  const results = h('div', { class: 'results' });
  replace(ctx.root, h('h1', { tabindex: '-1' }, 'Search messages'), searchForm(view, show, await vocabulary()), results);
  if (!FIELDS.some((k) => view[k])) {
    replace(results, h('p', {}, 'Give at least one field, then search.'));
    return;
  }
  replace(results, h('p', {}, 'Searching…'));
  try {
    const data = await get(`/messages${query({ ...withoutEmpty(view), cursor: cursor || undefined, limit: LIMIT })}`);
    ctx.loaded();
    replace(results, summary(data.items.length, Boolean(cursor)), listing(data.items),
      data.next ? h('nav', { class: 'pager', 'aria-label': 'Search results' },
        h('button', { type: 'button', onclick: () => show({ cursor: data.next }) }, 'Older messages →')) : null);
  } catch (err) {
    replace(results, ctx.problem(err));
  }
}

function searchForm(view, show, words) {
  const text = (name, attrs = {}) => h('input', { name, value: view[name], autocomplete: 'off', ...attrs });
  const fields = {
    messageId: text('messageId', { size: 34 }),
    localId: text('localId'),
    nhsNumber: text('nhsNumber', { inputmode: 'numeric', size: 14 }),
    workflow: text('workflow', { list: 'search-workflows' }),
    from: text('from', { list: 'search-mailboxes', size: 12 }),
    to: text('to', { list: 'search-mailboxes', size: 12 }),
    since: h('input', { name: 'since', type: 'datetime-local', value: toUtcInput(view.since) }),
    until: h('input', { name: 'until', type: 'datetime-local', value: toUtcInput(view.until) }),
  };
  const submit = (event) => {
    event.preventDefault();
    const values = Object.fromEntries(Object.entries(fields).map(([k, el]) => [k, el.value.trim()]));
    show({ ...values, since: fromUtcInput(values.since), until: fromUtcInput(values.until) });
  };
  const clear = () => show(Object.fromEntries(FIELDS.map((k) => [k, ''])));
  return h('form', { class: 'filters', role: 'search', onsubmit: submit },
    suggestions('search-workflows', words.workflows), suggestions('search-mailboxes', words.mailboxes),
    h('div', { class: 'row' }, field('Message id', fields.messageId), field('Local id', fields.localId), field('NHS number', fields.nhsNumber)),
    h('div', { class: 'row' }, field('Workflow', fields.workflow), field('Sender', fields.from), field('Recipient', fields.to)),
    h('div', { class: 'row' }, field('Accepted from (UTC)', fields.since), field('Accepted to (UTC)', fields.until)),
    h('p', { class: 'legend' }, 'Finds messages whose content is still kept. A search by NHS number is recorded in the audit, with your name.'),
    h('div', { class: 'row' },
      h('button', { type: 'submit' }, 'Search'), ' ',
      h('button', { type: 'button', class: 'secondary', onclick: clear }, 'Clear')));
}

function summary(count, later) {
  if (count === 0) return h('p', { class: 'count', role: 'status' }, later ? 'No older messages match.' : 'No messages match.');
  return h('p', { class: 'count', role: 'status' }, `${count} message${count === 1 ? '' : 's'}${later ? ' (older page)' : ''}, newest first.`);
}

function listing(items) {
  if (items.length === 0) return null;
  const row = (m) => [h('a', { href: `#/message/${encodeURIComponent(m.id)}` }, m.id), m.workflowId, m.from, m.to, clipped(m.localId), m.status, stamp(m.acceptedAt)];
  return h('table', { class: 'search' },
    h('thead', {}, h('tr', {}, ['Message id', 'Workflow', 'Sender', 'Recipient', 'Local id', 'Status', 'Accepted'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, items.map((m) => h('tr', {}, row(m).map((c) => h('td', {}, c ?? '—'))))));
}
