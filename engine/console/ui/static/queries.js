import { get, query } from './api.js';
import { field, h, replace, stamp } from './dom.js';
import { submitFilters } from './filters.js';
import { withoutEmpty } from './pager.js';

const LIMIT = 100;
const FILTERS = ['client', 'nhsNumber'];

/**
 * Point-of-care queries, answered or refused, newest first: who looked a child up and from
 * where, silent (scheduled) reads included, which leave no access history. The API masks
 * NHS numbers and audits a search by one.
 */
export async function queriesPage(ctx) {
  const view = Object.fromEntries(FILTERS.map((k) => [k, ctx.params.get(k) ?? '']));
  const show = (changes) => ctx.go('queries', withoutEmpty({ ...view, ...changes }));
  const results = h('div', { class: 'results' }, h('p', {}, 'Loading…'));
  replace(ctx.root, h('h1', { tabindex: '-1' }, 'Queries'), filterForm(view, show), results);
  try {
    const data = await get(`/queries${query({ ...view, limit: LIMIT })}`);
    ctx.loaded();
    replace(results, summary(data.items.length), listing(data.items));
  } catch (err) {
    replace(results, ctx.problem(err));
  }
}

function filterForm(view, show) {
  const fields = {
    client: h('input', { name: 'client', value: view.client }),
    nhsNumber: h('input', { name: 'nhsNumber', value: view.nhsNumber, inputmode: 'numeric', autocomplete: 'off', size: 14 }),
  };
  const clear = () => show({ client: '', nhsNumber: '' });
  return h('form', { class: 'filters', role: 'search', onsubmit: submitFilters(fields, show) },
    h('div', { class: 'row' }, field('Query client', fields.client), field('NHS number', fields.nhsNumber)),
    h('p', { class: 'legend' }, 'A search by NHS number is recorded in the audit, with your name.'),
    h('div', { class: 'row' },
      h('button', { type: 'submit' }, 'Filter'), ' ',
      h('button', { type: 'button', class: 'secondary', onclick: clear }, 'Clear filters')));
}

function summary(count) {
  if (count === 0) return h('p', { class: 'count', role: 'status' }, 'No queries match.');
  const latest = count >= LIMIT ? `the latest ${LIMIT}` : `${count} quer${count === 1 ? 'y' : 'ies'}`;
  return h('p', { class: 'count', role: 'status' }, `Showing ${latest}, newest first.`);
}

/** A scheduled read is silent: it leaves no access history, so only this list shows it. */
function access(unscheduled) {
  if (unscheduled === undefined) return '—';
  return unscheduled ? 'unscheduled' : 'scheduled (silent)';
}

function listing(items) {
  if (items.length === 0) return null;
  const row = (q) => [stamp(q.at), q.api, q.client, q.organisation, q.user, q.nhsNumber, access(q.unscheduled),
    h('span', { class: q.outcome === 'ok' ? 'ok' : 'bad' }, q.outcome), q.plans, q.accesses];
  return h('table', { class: 'queries' },
    h('thead', {}, h('tr', {}, ['At', 'API', 'Client', 'Organisation', 'User', 'NHS number', 'Access', 'Outcome', 'Plans', 'Accesses'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, items.map((q) => h('tr', {}, row(q).map((c) => h('td', {}, c ?? '—'))))));
}
