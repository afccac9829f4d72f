import { get, query } from './api.js';
import { h, replace, stamp, table } from './dom.js';
import { age, bytes } from './format.js';

const LIMIT = 100;

/** One mailbox's inbox: what waits to be collected, oldest first, a page at a time (`after` the last id shown). */
export async function mailboxPage(ctx) {
  const mailbox = ctx.arg;
  const after = ctx.params.get('after') ?? '';
  const body = h('div', {}, h('p', {}, 'Loading…'));
  replace(ctx.root, h('h1', { tabindex: '-1' }, `Mailbox ${mailbox}`), body);
  try {
    const box = await get(`/mailboxes/${encodeURIComponent(mailbox)}${query({ limit: LIMIT, after: after || undefined })}`);
    ctx.loaded();
    replace(body,
      h('p', { class: 'count', role: 'status' }, `${box.organisation}: ${box.depth} waiting, the oldest for ${age(box.oldestAgeSeconds)}.`),
      box.messages.length === 0 ? h('p', {}, after ? 'No more messages wait.' : 'Nothing waits in this inbox.') : table(
        ['Message id', 'Sender', 'Workflow', 'Received', 'Size'],
        box.messages.map((m) => [h('a', { href: `#/message/${encodeURIComponent(m.id)}` }, m.id), m.from, m.workflowId, stamp(m.receivedAt), bytes(m.size)]),
        after ? 'Waiting messages, later page' : 'Waiting messages, oldest first'),
      h('nav', { class: 'pager', 'aria-label': 'Inbox pages' },
        after ? h('button', { type: 'button', onclick: () => ctx.go(`mailbox/${encodeURIComponent(mailbox)}`) }, '← First page') : null, ' ',
        box.next ? h('button', { type: 'button', onclick: () => ctx.go(`mailbox/${encodeURIComponent(mailbox)}`, { after: box.next }) }, 'Next page →') : null));
  } catch (err) {
    replace(body, ctx.problem(err));
  }
}
