import { post } from './api.js';
import { field, h, notice, replace, table } from './dom.js';

/**
 * An admin records that an NHS number was superseded (the hub has no PDS feed): every LA
 * holding records for the old number is told. The API checks the role and audits it; the
 * numbers typed are sent, never shown back.
 */
export async function nhsNumbersPage(ctx) {
  const heading = h('h1', { tabindex: '-1' }, 'Superseded NHS number');
  if (!ctx.can('admin')) {
    replace(ctx.root, heading, notice('error', 'Only an admin can record a superseded NHS number.'));
    return;
  }
  const old = h('input', { name: 'old', required: true, inputmode: 'numeric', autocomplete: 'off', size: 14 });
  const replacement = h('input', { name: 'new', required: true, inputmode: 'numeric', autocomplete: 'off', size: 14 });
  const send = h('button', { type: 'submit' }, 'Tell the LAs');
  const result = h('div', {});
  const form = h('form', {
    class: 'filters',
    onsubmit: (e) => { e.preventDefault(); void submit(); },
  }, h('div', { class: 'row' }, field('Old NHS number', old), field('New NHS number', replacement)), send);

  async function submit() {
    send.disabled = true;
    replace(result);
    try {
      replace(result, summary(await post('/nhs-numbers/superseded', { old: old.value, new: replacement.value })));
      ctx.loaded();
    } catch (err) {
      replace(result, ctx.problem(err));
    } finally {
      send.disabled = false;
    }
  }

  replace(ctx.root, heading,
    h('p', {}, 'Each local authority holding records for the old number is sent an inactive NHS number notification, in its own format. Telling it twice sends nothing twice.'),
    form, result);
}

function summary(answer) {
  const told = answer.notified.map((n) => [n.la, n.mailbox, n.format, String(n.records), n.messageId, n.alreadySent ? 'before' : 'now']);
  const untold = answer.notNotified.map((n) => [n.la, String(n.records), n.message]);
  return h('div', {},
    notice(untold.length ? 'error' : 'ok', `${answer.records} record${answer.records === 1 ? '' : 's'} held for the old number; ${told.length} LA${told.length === 1 ? '' : 's'} told.`),
    told.length ? table(['LA', 'Mailbox', 'Format', 'Records', 'Message id', 'Sent'], told, 'Told') : null,
    untold.length ? table(['LA', 'Records', 'Why not'], untold, 'Not told') : null);
}
