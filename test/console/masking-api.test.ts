import { attendanceXml, client, NHS, startCpisHub } from '../support/cpis.js';
import type { TestHub } from '../support/hub.js';
import { heldFor, sendToHub } from './held-failures.js';
import { Staff, until } from './staff.js';

/**
 * Patient values written the ways XML allows (CDATA, references, comments, prefixes), in
 * messages the real workers took or held, read over HTTP as a viewer.
 */
describe('masking in what the console API answers a viewer', () => {
  let hub: TestHub;
  let viewer: Staff;
  const hidden = (xml: string) => xml
    .replace('<familyName>Testchild</familyName>', '<familyName><![CDATA[Smith]]></familyName>')
    .replace('<givenName>Alex</givenName>', '<givenName>&#x4A;o<!-- -->nah</givenName>')
    .replace('<birthDate>2015-03-01</birthDate>', '<birthDate>\n 2015-03-01 </birthDate>');
  const SECRETS = ['Smith', 'Jonah', '&#x4A;o', 'nah<', '2015-03-01'];

  beforeAll(async () => {
    hub = await startCpisHub();
    viewer = await Staff.login(hub.url, 'viewer');
  }, 30_000);
  afterAll(() => hub.stop());

  test('a message that passed its schema, and the flag response it had, show no name, birth date or NHS number', async () => {
    const id = await sendToHub(client(hub, 'RR8PAS'), 'CPIS_ATTENDANCE', hidden(attendanceXml(NHS[0], 'ATT-CDATA')), 'ATT-CDATA');
    const flag = await until(async () => {
      const answer = await viewer.get(`/messages/${id}_FLAG`);
      return answer.status === 200 ? answer : undefined;
    }, 15_000);
    const detail = await viewer.get(`/messages/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.failed).toBe(false);
    expect(detail.body.xml).toContain('<familyName>***</familyName>');
    expect(detail.body.xml).toContain('<attendanceId>ATT-CDATA</attendanceId>');
    expect(detail.body.journey.map((s: { messageId?: string }) => s.messageId)).toContain(`${id}_FLAG`);
    for (const secret of [...SECRETS, NHS[0]]) expect(detail.text).not.toContain(secret);
    expect(flag.body.xml).toContain('*******621');
    expect(flag.text).not.toContain(NHS[0]);
  });

  test('a held message is found by an NHS number written as CDATA, and its summary and detail are masked', async () => {
    const xml = hidden(attendanceXml(NHS[1], 'ATT-CDATA-BAD'))
      .replace(`<nhsNumber>${NHS[1]}</nhsNumber>`, `<c:nhsNumber xmlns:c="urn:cpis-exchange:v1"><![CDATA[${NHS[1]}]]></c:nhsNumber>`)
      .replace('<arrival>', '<unexpected/><arrival>');
    const id = await sendToHub(client(hub, 'RR8PAS'), 'CPIS_ATTENDANCE', xml, 'ATT-CDATA-BAD');
    await heldFor(viewer, 'ATT-CDATA-BAD');
    const list = await viewer.get('/failed', { q: NHS[1] });
    expect(list.body.items.map((m: { messageId: string; nhsNumber: string }) => [m.messageId, m.nhsNumber])).toEqual([[id, '*******796']]);
    const detail = await viewer.get(`/messages/${id}`);
    expect(detail.body).toMatchObject({ failed: true, reason: 'SCHEMA_INVALID' });
    for (const answer of [list, detail]) for (const secret of [...SECRETS, NHS[1]]) expect(answer.text).not.toContain(secret);
  });
});
