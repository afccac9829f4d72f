import { readFileSync } from 'node:fs';
import { client, startCpisHub } from '../support/cpis.js';
import type { TestHub } from '../support/hub.js';
import { heldFor, sendToHub } from './held-failures.js';
import { Staff } from './staff.js';

const example = (kind: 'valid' | 'invalid', name: string) => readFileSync(new URL(`../../schemas/examples/dms/upload/${kind}/${name}.xml`, import.meta.url), 'utf8');

/**
 * A national upload (HL7 v3 `File`) the real plan update worker held, read and corrected
 * through the API as staff would.
 */
describe('the console API on a held national upload', () => {
  let hub: TestHub;
  let viewer: Staff;
  let admin: Staff;
  let id: string;
  const NHS_NUMBER = '9689177621';
  const SECRETS = [NHS_NUMBER, 'Mia', 'Rose', 'Harrow', '20160814'];

  beforeAll(async () => {
    hub = await startCpisHub();
    [viewer, admin] = await Promise.all(['viewer', 'admin'].map((u) => Staff.login(hub.url, u)));
    // Two given names: the national schema allows one, so any worker holds it.
    id = await sendToHub(client(hub, 'LA709CSC'), 'CPIS_PLAN_UPDATE', example('invalid', 'two-given-names'), 'DMS-BAD');
    await heldFor(admin, 'DMS-BAD');
  }, 30_000);
  afterAll(() => hub.stop());

  test('a viewer finds it by the NHS number in its identifier, and sees no NHS number, name or birth time', async () => {
    const list = await viewer.get('/failed', { q: NHS_NUMBER });
    expect(list.body.items.map((m: { messageId: string; nhsNumber: string }) => [m.messageId, m.nhsNumber])).toEqual([[id, '*******621']]);
    const detail = await viewer.get(`/messages/${id}`);
    expect(detail.body.failed).toBe(true);
    expect(detail.body.xml).toContain('<id root="2.16.840.1.113883.2.1.4.1" extension="*******621"/>');
    expect(detail.body.xml).toMatch(/<name>\s*<given>\*\*\*<\/given>\s*<given>\*\*\*<\/given>\s*<family>\*\*\*<\/family>\s*<\/name>/);
    expect(detail.body.xml).toContain('<name>Bradford Metropolitan District Council</name>');
    for (const answer of [list, detail]) for (const secret of SECRETS) expect(answer.text).not.toContain(secret);
  });

  test('edit-and-replay checks a national File against the national schema, and takes a valid one', async () => {
    const invalid = await admin.post(`/messages/${id}/edit-replay`, { xml: example('invalid', 'telecom-with-space') });
    expect([invalid.status, invalid.body.code]).toEqual([422, 'SCHEMA_INVALID']);
    // The schema is named once, then each complaint once.
    expect(invalid.body.details).toEqual(['does not match dms/upload.xsd', expect.stringMatching(/^line \d+: .*telecom.*value/)]);

    const other = await admin.post(`/messages/${id}/edit-replay`, { xml: example('valid', 'one-child-cpp').replace('<File ', '<FileResponse ').replace('</File>', '</FileResponse>') });
    expect([other.status, other.body.code]).toEqual([422, 'SCHEMA_INVALID']);
    const broken = await admin.post(`/messages/${id}/edit-replay`, { xml: example('valid', 'one-child-cpp').replace('</File>', '') });
    expect(broken.body.details).toEqual(['not well-formed XML', expect.stringMatching(/^line \d+, column \d+: /)]);
    expect(other.body.details).toEqual(['expected the root element {urn:cpis-exchange:v1}planUpdate or {urn:hl7-org:v3}File, found {urn:hl7-org:v3}FileResponse']);

    const edited = await admin.post(`/messages/${id}/edit-replay`, { xml: example('valid', 'one-child-cpp') });
    expect([edited.status, edited.body]).toEqual([200, { messageId: `${id}_EDIT`, editedFrom: id }]);
    const copy = (await admin.get(`/messages/${id}_EDIT`)).body;
    expect(copy).toMatchObject({ editedFrom: id, message: { from: 'LA709CSC', localId: 'DMS-BAD' } });
  }, 30_000);
});
