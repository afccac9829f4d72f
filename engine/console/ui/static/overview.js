import { get, query } from './api.js';
import { h, replace, svg, table } from './dom.js';
import { age, time } from './format.js';

const REFRESH_MS = 5000;

/** The state of the exchange at a glance; refreshes itself until the page is left. */
export async function overviewPage(ctx) {
  const updated = h('p', { class: 'updated', role: 'status' });
  const body = h('div');
  replace(ctx.root, h('h1', { tabindex: '-1' }, 'Overview'), updated, body);
  let timer;
  let left = false;
  const refresh = async () => {
    try {
      const data = await get('/overview');
      replace(body, mailboxes(data.mailboxes), queues(data.queues), throughput(data.perMinute), failures(data.failures24h));
      ctx.loaded();
      replace(updated, `Updated ${time(new Date().toISOString())}; refreshes every ${REFRESH_MS / 1000} s.`);
    } catch (err) {
      replace(updated, ctx.problem(err));
    }
    if (!left) timer = setTimeout(refresh, REFRESH_MS);
  };
  await refresh();
  return () => { left = true; clearTimeout(timer); };
}

function mailboxes(list) {
  return h('section', {},
    h('h2', {}, 'Mailboxes'),
    table(['Mailbox', 'Organisation', 'Waiting', 'Oldest unacknowledged'],
      list.map((m) => [h('a', { href: `#/mailbox/${encodeURIComponent(m.id)}` }, m.id), m.organisation, num(m.depth), age(m.oldestAgeSeconds)])));
}

function queues(list) {
  return h('section', {},
    h('h2', {}, 'Queues'),
    table(['Queue', 'Waiting', 'Active', 'Delayed', 'Failed'],
      list.map((q) => [q.name, num(q.waiting), num(q.active), num(q.delayed),
        q.failed > 0 ? h('a', { href: '#/failed', class: 'bad' }, num(q.failed)) : num(q.failed)])));
}

function failures(list) {
  const rows = list.map((f) => [h('a', { href: `#/failed${query({ reason: f.reason })}` }, f.reason), num(f.count)]);
  return h('section', {},
    h('h2', {}, 'Failures in the last 24 hours'),
    rows.length ? table(['Reason', 'Messages'], rows) : h('p', {}, 'None.'));
}

const BAR = 10;
const HEIGHT = 100;

/** One bar per minute, completed below failed; the totals are also written out for those who cannot see the bars. */
function throughput(perMinute) {
  const busiest = Math.max(0, ...perMinute.map((m) => m.completed + m.failed));
  const scale = (n) => (n / Math.max(1, busiest)) * HEIGHT;
  const bars = perMinute.map((m, i) => {
    const done = scale(m.completed);
    const bad = scale(m.failed);
    return svg('g', {},
      svg('title', {}, `${time(m.minute)}: ${m.completed} processed, ${m.failed} failed`),
      svg('rect', { class: 'done', x: i * BAR, y: HEIGHT - done, width: BAR - 2, height: done }),
      svg('rect', { class: 'bad', x: i * BAR, y: HEIGHT - done - bad, width: BAR - 2, height: bad }));
  });
  const total = (key) => perMinute.reduce((sum, m) => sum + m[key], 0);
  return h('section', {},
    h('h2', {}, 'Messages per minute, last hour'),
    svg('svg', { class: 'chart', preserveAspectRatio: 'none', viewBox: `0 0 ${Math.max(1, perMinute.length) * BAR} ${HEIGHT}`, role: 'img', 'aria-label': 'messages per minute' },
      svg('line', { class: 'axis', x1: 0, y1: HEIGHT, x2: perMinute.length * BAR, y2: HEIGHT }), bars),
    h('p', { class: 'legend' },
      h('span', { class: 'key done' }), ` processed: ${total('completed')}  `,
      h('span', { class: 'key bad' }), ` failed: ${total('failed')}  `,
      `(busiest minute: ${busiest})`));
}

const num = (n) => (n === undefined || n === null ? '—' : Number(n).toLocaleString('en-GB'));
