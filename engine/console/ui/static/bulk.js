import { ApiError, get, post } from './api.js';
import { field, h, notice, replace } from './dom.js';

const POLL_MS = 1000;

/**
 * Replay every message the filter matches: the operator types `REPLAY <n>` (n as the
 * server counts now), then watches a progress bar until the operation finishes.
 */
export function bulkReplay(ctx, filter, total) {
  let timer;
  let stopped = false;
  const element = h('section', { class: 'bulk' }, h('h2', {}, 'Replay all that match'));
  const status = h('div');
  const phrase = `REPLAY ${total}`;
  const confirm = h('input', { name: 'confirm', autocomplete: 'off', spellcheck: 'false' });
  const form = h('form', { class: 'confirm', hidden: true, onsubmit: (e) => { e.preventDefault(); void start(); } },
    h('p', {}, `This puts ${total} failed message${total === 1 ? '' : 's'} back on their queues. To go ahead, type `, h('kbd', {}, phrase), '.'),
    field('Confirmation', confirm), ' ',
    h('button', { type: 'submit', class: 'danger' }, 'Replay them'), ' ',
    h('button', { type: 'button', class: 'secondary', onclick: () => { form.hidden = true; open.hidden = false; } }, 'Cancel'));
  const open = h('button', { type: 'button', onclick: () => { form.hidden = false; open.hidden = true; confirm.focus(); } },
    `Replay all ${total} matching…`);
  element.append(open, form, status);

  async function start() {
    try {
      const operation = await post('/replay-bulk', { filter, confirm: confirm.value.trim() });
      form.hidden = true;
      watch(operation.operationId, operation.total);
    } catch (err) {
      replace(status, err instanceof ApiError && err.code === 'CONFIRMATION_MISMATCH'
        ? notice('error', `The confirmation does not match. Type exactly ${phrase} (the count may have changed: reload the list).`)
        : ctx.problem(err));
    }
  }

  function watch(operationId, count) {
    const bar = h('progress', { max: Math.max(1, count), value: 0 });
    const words = h('span', { role: 'status' }, 'Starting…');
    replace(status, h('div', { class: 'progress' }, field('Replaying', bar), ' ', words));
    const poll = async () => {
      try {
        const op = await get(`/operations/${encodeURIComponent(operationId)}`);
        bar.max = Math.max(1, op.total);
        bar.value = op.done;
        replace(words, `${op.done} of ${op.total} replayed${op.failed ? `; ${op.failed} could not be` : ''}.`);
        if (op.state !== 'running') {
          const said = op.state === 'finished' ? ['ok', 'Finished. '] : ['error', 'Interrupted: the hub stopped part way; the rest are still failed and can be replayed again. '];
          status.append(notice(...said, h('button', { type: 'button', onclick: () => ctx.go('failed', filter) }, 'Reload the list')));
          return;
        }
      } catch (err) {
        status.append(ctx.problem(err));
        return;
      }
      if (!stopped) timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
  }

  return { element, stop: () => { stopped = true; clearTimeout(timer); } };
}
