import { get, id } from './api.js';
import { append, h, notice, replace, table } from './dom.js';
import { actions } from './actions.js';
import { bytes, time } from './format.js';
import { contentSection, unmasker } from './content.js';

const REFRESH_MS = 3000;

const EVENTS = {
  accepted: 'Accepted into the inbox',
  attempt: 'Processing attempt',
  reply: 'Reply sent',
  acknowledged: 'Acknowledged',
  expired: 'Expired',
  replayed: 'Replayed',
  discarded: 'Discarded',
  edited: 'Edited and replayed',
};

const DONE = {
  replayed: 'Replayed: the message is back on its queue.',
  discarded: 'Discarded.',
  edited: 'This is the edited copy, queued for processing; the original is kept and linked below.',
};

const link = (messageId) => h('a', { href: `#/message/${id(messageId)}` }, messageId);

/** One message: what it is, why it failed, where it went, its content, and what staff may do with it. */
export async function messagePage(ctx) {
  const messageId = ctx.arg;
  const flash = DONE[ctx.params.get('done')];
  replace(ctx.root, h('h1', { tabindex: '-1' }, 'Message ', h('code', {}, messageId)), flash ? notice('ok', flash) : null);
  const data = await get(`/messages/${id(messageId)}`);
  const unmasked = unmasker(messageId, data);
  const reload = (done) => ctx.go(`message/${id(messageId)}`, done ? { done } : undefined);
  append(ctx.root, [
    metadata(data),
    data.failed ? failure(data) : null,
    actions(ctx, data, reload, unmasked),
    journey(data.journey),
    contentSection(ctx, data, unmasked),
  ]);
  // Still on its way (queued, or waiting for its recipient): follow it without a manual reload.
  if (data.failed || data.message.status !== 'accepted') return undefined;
  const timer = setTimeout(() => reload(ctx.params.get('done')), REFRESH_MS);
  return () => clearTimeout(timer);
}

function metadata(data) {
  const m = data.message;
  const rows = [
    ['From', m.from], ['To', m.to], ['Workflow', m.workflowId], ['Local id', m.localId],
    ['Status', data.failed ? h('strong', { class: 'bad' }, 'failed (held for staff)') : m.status],
    ['Received', time(m.receivedAt)], ['Size', bytes(m.size)],
    ['Edited from', data.editedFrom && link(data.editedFrom)], ['Edited copy', data.editedCopy && link(data.editedCopy)],
  ].filter(([, v]) => v !== undefined && v !== null && v !== '');
  return h('section', {}, h('h2', {}, 'Details'), h('dl', { class: 'meta' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])));
}

function failure(data) {
  return h('section', { class: 'failure' },
    h('h2', {}, 'Why it failed'),
    h('p', { class: 'reason' }, h('strong', {}, data.reason ?? 'unknown'), data.attempts.at(-1) ? [': ', data.attempts.at(-1).error] : null),
    table(['Attempt', 'At', 'Code', 'Kind', 'Error'],
      data.attempts.map((a) => [String(a.attempt), time(a.at), a.code, a.permanent ? 'permanent' : 'transient', a.error]), 'Every attempt'));
}

function journey(events) {
  return h('section', {},
    h('h2', {}, 'Journey'),
    h('ol', { class: 'journey' }, events.map((e) => h('li', { class: `event-${e.event}` },
      h('time', { datetime: e.at }, time(e.at)), ' ', h('strong', {}, EVENTS[e.event] ?? e.event),
      e.detail ? [': ', e.detail] : null,
      e.messageId ? [' ', link(e.messageId)] : null))));
}
