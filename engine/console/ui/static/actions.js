import { ApiError, post, id } from './api.js';
import { field, h, notice, replace } from './dom.js';
import { remember } from './done.js';

/**
 * What staff may do with a failed message, offered by role (the API refuses the same
 * things, so a hidden button is a courtesy, not the guard).
 */
export function actions(ctx, data, reload, unmasked) {
  if (!data.failed || !ctx.can('operator')) return null;
  const status = h('div', { class: 'status' });
  const path = `/messages/${id(data.message.id)}`;
  const run = async (button, work) => {
    button.disabled = true;
    replace(status);
    try {
      await work();
    } catch (err) {
      replace(status, ctx.problem(err));
    } finally {
      button.disabled = false;
    }
  };

  const replay = h('button', { type: 'button', onclick: () => run(replay, async () => { await post(`${path}/replay`); reload('replayed'); }) }, 'Replay');
  const reason = h('input', { name: 'reason', required: true, size: 40, placeholder: 'why it is not needed' });
  const discardButton = h('button', { type: 'submit', class: 'danger' }, 'Discard');
  const discard = h('form', {
    class: 'inline',
    onsubmit: (e) => { e.preventDefault(); void run(discardButton, async () => { await post(`${path}/discard`, { reason: reason.value.trim() }); reload('discarded'); }); },
  }, field('Reason', reason), ' ', discardButton);

  return h('section', { class: 'actions' },
    h('h2', {}, 'Actions'),
    h('div', { class: 'row' }, replay),
    discard,
    ctx.can('admin') ? editor(ctx, path, status, unmasked) : null,
    status);
}

/** Edit-and-replay: the original stays; the edited copy must pass the message type's schema, whose errors are listed. */
function editor(ctx, path, status, unmasked) {
  const area = h('textarea', { name: 'xml', rows: 20, cols: 100, spellcheck: 'false', 'aria-label': 'edited XML' });
  const send = h('button', { type: 'submit' }, 'Replay the edited copy');
  const form = h('form', { class: 'edit', hidden: true, onsubmit: (e) => { e.preventDefault(); void submit(); } }, area, h('div', {}, send));
  const open = h('button', { type: 'button', class: 'secondary', onclick: () => void start() }, 'Edit and replay…');

  async function start() {
    try {
      area.value = await unmasked();
      form.hidden = false;
      open.hidden = true;
      area.focus();
    } catch (err) {
      replace(status, ctx.problem(err));
    }
  }

  async function submit() {
    send.disabled = true;
    try {
      const copy = await post(`${path}/edit-replay`, { xml: area.value });
      remember(copy.messageId, 'edited');
      ctx.go(`message/${id(copy.messageId)}`);
    } catch (err) {
      replace(status, err instanceof ApiError && err.code === 'SCHEMA_INVALID'
        ? notice('error', 'The edit fails the schema; nothing was replayed:', h('ul', {}, err.details.map((d) => h('li', {}, d))))
        : ctx.problem(err));
    } finally {
      send.disabled = false;
    }
  }

  return h('div', { class: 'editor' }, open, form);
}
