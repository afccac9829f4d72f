/**
 * Writes one of each national (DMS) document the hub emits into a folder, to check them against
 * the published schemas: `npx tsx scripts/dms-emit-samples.ts OUT && ../shared/tools/dms-validate OUT/*.xml`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { querySamples } from '../test/cpis/dms/query-samples.js';
import { samples } from '../test/cpis/dms/samples.js';

const out = process.argv[2];
if (!out) {
  console.error('usage: dms-emit-samples.ts FOLDER');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const documents = { ...samples(), ...querySamples() };
for (const [name, xml] of Object.entries(documents)) writeFileSync(join(out, name), xml);
console.log(`wrote ${Object.keys(documents).length} documents to ${out}`);
