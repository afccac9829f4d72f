import { get } from './api.js';
import { h } from './dom.js';
import { fromUtcInput, toUtcInput } from './format.js';

/** The time-range inputs every filter form has, in UTC like every time the pages show. */
export function timeRangeInputs(view) {
  return {
    from: h('input', { name: 'from', type: 'datetime-local', value: toUtcInput(view.from) }),
    to: h('input', { name: 'to', type: 'datetime-local', value: toUtcInput(view.to) }),
  };
}

/** Submitting a filter form: its trimmed values, times back in ISO, from the first page. */
export function submitFilters(fields, show) {
  return (event) => {
    event.preventDefault();
    const values = Object.fromEntries(Object.entries(fields).map(([k, el]) => [k, el.value.trim()]));
    show({ ...values, from: fromUtcInput(values.from), to: fromUtcInput(values.to), offset: 0 });
  };
}

const NO_WORDS = { workflows: [], mailboxes: [], reasons: [], actions: [] };
let words;

/** The words the hub's filters take (workflow and mailbox ids, reason codes, audit actions), fetched once. */
export function vocabulary() {
  words ??= get('/vocabulary').catch(() => {
    words = undefined;
    return NO_WORDS;
  });
  return words;
}

/** A datalist of suggestions for the inputs that name it in `list`. */
export function suggestions(id, values) {
  return h('datalist', { id }, values.map((v) => h('option', { value: v })));
}
