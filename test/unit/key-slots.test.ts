import { ConsoleKeys } from '../../engine/console/keys.js';
import { Keys } from '../../engine/mailbox/keys.js';
import { QueryKeys } from '../../engine/query/keys.js';
import { hashedPart, keySlot } from '../../engine/redis/key-slot.js';
import { RegisterKeys } from '../../engine/register/keys.js';
import { SearchKeys } from '../../engine/search/search-keys.js';

/**
 * Every group of keys that one Lua script or multi-key command touches must share a Redis
 * Cluster slot (issue 13). Each key builder's groups, checked with the cluster's own hash.
 */
const slots = (keys: string[]) => [...new Set(keys.map(keySlot))];

test('the slot function agrees with the cluster specification\'s examples', () => {
  // Values Redis's CLUSTER KEYSLOT gives (its documentation and the specification's hash tag rules).
  expect(keySlot('somekey')).toBe(11058);
  expect(keySlot('foo{hash_tag}')).toBe(keySlot('hash_tag'));
  expect(keySlot('foo{hash_tag}')).toBe(2515);
  expect(hashedPart('foo{}{bar}')).toBe('foo{}{bar}');
  expect(hashedPart('foo{{bar}}zap')).toBe('{bar');
  expect(hashedPart('foo{bar}{zap}')).toBe('bar');
});

test('a mailbox\'s keys share its slot: send, chunk, acknowledge, expire and purge each touch one slot', () => {
  const k = new Keys('p:');
  const box = (m: string) => [k.inbox(m), k.expiry(m), k.purge(m), k.reportsPending(m), k.handshake(m), k.meta(m, 'ID1'), k.body(m, 'ID1'),
    k.chunkSizes(m, 'ID1'), k.sendOnce(m, 'WF', 'FROM', 'L1'), k.noSendOnce(m)];
  expect(slots(box('LA706CSC'))).toHaveLength(1);
  expect(slots([...box('RR8PAS'), k.sentByLocalId('RR8PAS', 'L1')])).toHaveLength(1);
  // Two mailboxes are two slots, so a cluster spreads them (this could collide by chance; these two do not).
  expect(slots([k.inbox('LA706CSC'), k.inbox('RR8PAS')])).toHaveLength(2);
});

test('the register, the console, the search index and the query\'s ids and audit are each one slot', () => {
  const reg = new RegisterKeys('p:');
  expect(slots([reg.person('9689177621'), reg.person('9446245796'), reg.clock(), reg.results('706', 41, 'd'), reg.contacts('706'),
    reg.accesses('9689177621'), reg.accessSeen('9689177621')])).toHaveLength(1);
  const con = new ConsoleKeys('p:');
  expect(slots([con.session('s'), con.failedLogins('admin'), con.audit(), con.auditAnchor(), con.auditByMessage('ID1')])).toHaveLength(1);
  const search = new SearchKeys('p:');
  expect(slots([search.all(), search.field('workflow', 'WF'), search.field('nhsNumber', '9689177621'), search.shared(),
    search.failedAt(), search.failedSummary()])).toHaveLength(1);
  const query = new QueryKeys('p:');
  expect(slots([query.message('d'), query.audit()])).toHaveLength(1);
});

test('tokens and rate buckets carry their own tag: one key per command, spread over the cluster', () => {
  const query = new QueryKeys('p:');
  expect(hashedPart(query.token('abc'))).toBe('abc');
  expect(hashedPart(query.rate('query:rr8-ed'))).toBe('query:rr8-ed');
});
