import type { Delivery } from '../../adapters/core/delivery.js';
import { deliverable } from '../../adapters/delivery/report-document.js';
import type { MeshMessageHeaders } from '../../adapters/mesh-client/index.js';
import { parseMeshReport } from '../../engine/cpis/xml/mesh-report.js';

const message = (headers: Partial<MeshMessageHeaders>, body = ''): Delivery => ({
  id: 'M1_R14',
  body: Buffer.from(body),
  headers: { messageId: 'M1_R14', messageType: 'REPORT', ...headers },
});

function readReport(delivery: Delivery) {
  const parsed = parseMeshReport(delivery.body);
  if (!parsed.ok) throw new Error(`not a valid meshReport: ${parsed.error.message}`);
  return parsed.value;
}

test('a DATA message goes out as it came', () => {
  const data = message({ messageType: 'DATA' }, '<flagResponse/>');
  expect(deliverable(data)).toBe(data);
});

test('a REPORT without any status headers is still a valid document naming the report', () => {
  expect(readReport(deliverable(message({})))).toEqual({ reportId: 'M1_R14' });
});

test('header values the schema cannot hold are left out or cut, so the document stays valid', () => {
  const report = readReport(deliverable(message({
    statusCode: '014',
    statusEvent: 'not an event',
    statusTimestamp: '20240231093002',
    statusDescription: `  ${'x'.repeat(2500)}  `,
    localId: '  spaced   local  id ',
    linkedMsgId: 'M1',
    workflowId: 'CPIS PLAN',
  })));
  expect(report).toEqual({ reportId: 'M1_R14', description: 'x'.repeat(2000), localId: 'spaced local id', linkedMessageId: 'M1' });
});

test('the MESH status time reads as UTC', () => {
  expect(readReport(deliverable(message({ statusTimestamp: '20241120221400', statusEvent: 'transfer' })))).toMatchObject({
    time: '2024-11-20T22:14:00Z', event: 'TRANSFER',
  });
});
