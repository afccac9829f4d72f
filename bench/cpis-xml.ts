import { parseArgs } from 'node:util';
import type { PlanRecord, PlanUpdateAck } from '../engine/cpis/types.js';
import { buildPlanUpdateAck } from '../engine/cpis/xml/plan-update-ack.js';
import { buildPlanUpdate, parsePlanUpdate } from '../engine/cpis/xml/plan-update.js';

/**
 * `npx tsx bench/cpis-xml.ts [--records 100000] [--runs 3]`: time to read (guard, XSD
 * validation, fast-xml-parser) a plan update file of N records, and to build one and its
 * acknowledgement. The first read also pays for growing libxml2's WebAssembly memory.
 */

const { values } = parseArgs({
  options: { records: { type: 'string', default: '100000' }, runs: { type: 'string', default: '3' } },
});
const records = Number(values.records);

const record = (n: number): PlanRecord => ({
  localId: `CP-${String(n).padStart(7, '0')}`,
  action: 'upsert',
  subject: { role: 'child', nhsNumber: '9689177621', familyName: 'Harrow', givenName: 'Mia', birthDate: '2016-08-14' },
  plan: { type: 'CPP', start: '2024-04-29' },
});

function timed<T>(label: string, run: () => T): T {
  const start = performance.now();
  const result = run();
  console.log(`${label}: ${Math.round(performance.now() - start)} ms`);
  return result;
}

const xml = timed(`build plan update, ${records} records`, () =>
  buildPlanUpdate({
    sequence: 1,
    created: '2024-05-01T09:30:00Z',
    la: { ods: '706', name: 'Northbridge Borough Council', emergencyPhone: '01632 960999' },
    recordCount: records,
    records: Array.from({ length: records }, (_, i) => record(i)),
  }),
);
console.log(`size: ${(Buffer.byteLength(xml) / 1024 / 1024).toFixed(1)} MiB`);

for (let run = 1; run <= Number(values.runs); run++) {
  const parsed = timed(`read, run ${run}`, () => parsePlanUpdate(xml));
  if (!parsed.ok || parsed.value.records.length !== records) throw new Error('the file did not read back');
}

const ack: PlanUpdateAck = {
  sequence: 1,
  status: 'CPF02',
  recordsProcessed: records,
  results: Array.from({ length: records }, (_, i) => ({ position: i + 1, localId: record(i).localId, code: 'CPR06' })),
};
timed(`build acknowledgement, ${records} results`, () => buildPlanUpdateAck(ack));
