/**
 * Measures applying a region's bulk load (100,000 records in one file) to the register
 * on the local Redis. A script, not a test: `npx tsx test/register/measure-100k.ts`.
 * Prints timings only; the keys it writes are removed afterwards.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RegisterKeys } from '../../engine/register/keys.js';
import { RedisRegister } from '../../engine/register/redis-register.js';
import { REDIS_URL } from '../support/hub.js';
import { TODAY, file, nhsNumbers, plan } from '../cpis/register/fixtures.js';
import { deleteMatching } from '../../scripts/redis-keys.js';

const COUNT = 100_000;
const prefix = `measure:${randomUUID().slice(0, 8)}:`;
const redis = new Redis(REDIS_URL);
const register = new RedisRegister(redis, { keys: new RegisterKeys(prefix) });

const records = nhsNumbers(COUNT).map((nhsNumber, i) => {
  const type = (['CPP', 'LAC', 'UCPP'] as const)[i % 3];
  return plan('upsert', { type, localId: `L${i}`, subject: { nhsNumber } });
});
const upload = file(1, records, '706');

try {
  let t = performance.now();
  const results = await register.applyPlanUpdate('706', upload, TODAY);
  const applied = performance.now() - t;
  t = performance.now();
  await register.applyPlanUpdate('706', upload, TODAY);
  const replayed = performance.now() - t;
  const ok = results.filter((r) => r.code === 'CPR06').length;
  console.log(`${COUNT} records: applied in ${(applied / 1000).toFixed(2)} s (${ok} CPR06), replay answered in ${(replayed / 1000).toFixed(2)} s`);
} finally {
  await deleteMatching(redis, `${prefix}*`);
  await redis.quit();
}
