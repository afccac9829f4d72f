import { get, id } from './api.js';
import { append, h, notice, replace, table } from './dom.js';
import { actions } from './actions.js';
import { bytes, time } from './format.js';
import { contentSection, unmasker } from './content.js';
import { recall, remember } from './done.js';

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

/** Said once after an action, beside the state the message is in now: a queued message may already have failed again. */
const DONE = {
  replayed: { ok: 'Replay queued: the message is back on its queue; its status below follows it.', failed: 'Replay queued, and the message has failed again: see why below.' },
  discarded: { ok: 'Discarded.' },
  edited: {
    ok: 'This is the edited copy, queued for processing; the original is kept and linked below.',
    failed: 'This is the edited copy, and it has failed: see why below. The original is kept and linked below.',
  },
};

function told(done, data) {
  const said = DONE[done];
  if (!said) return null;
  return data.failed && said.failed ? notice('error', said.failed) : notice('ok', said.ok);
}

const link = (messageId) => h('a', { href: `#/message/${id(messageId)}` }, messageId);

/** One message: what it is, why it failed, where it went, its content, and what staff may do with it. */
export async function messagePage(ctx) {
  const messageId = ctx.arg;
  const done = recall(messageId);
  replace(ctx.root, h('h1', { tabindex: '-1' }, 'Message ', h('code', {}, messageId)));
  const data = await get(`/messages/${id(messageId)}`);
  ctx.loaded();
  const unmasked = unmasker(messageId, data);
  const reload = (action) => {
    if (action) remember(messageId, action);
    ctx.go(`message/${id(messageId)}`);
  };
  append(ctx.root, [
    told(done, data),
    metadata(data),
    data.failed ? failure(data) : null,
    actions(ctx, data, reload, unmasked),
    journey(data.journey),
    contentSection(ctx, data, unmasked),
  ]);
  // Still on its way (queued, or waiting for its recipient): follow it without a manual reload.
  if (data.failed || data.message.status !== 'accepted') return undefined;
  const timer = setTimeout(() => reload(), REFRESH_MS);
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
