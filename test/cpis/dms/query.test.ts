/** Reading the national CP-IS NHS query (QUPC_IN000006GB01), and writing one as a health system would. */
import { readdirSync } from 'node:fs';
import { buildDmsQuery, parseDmsQuery } from '../../../engine/cpis/dms/query.js';
import { isoTime } from '../../../engine/cpis/dms/hl7.js';
import { example, query } from './query-samples.js';

const REFUSED = new URL('../../../schemas/examples/dms/query/refused/', import.meta.url);
const REASON = /<!--\s*refused:\s*([A-Z_]+)/;

describe('a query read', () => {
  test('a person: wrapper ids, query id and time, NHS number, the clinician with role, role code and SDS ids, their organisation', () => {
    expect(query('person')).toEqual({
      messageId: '0B3E6A5C-5D2F-4C1A-9E8B-7F6D5C4B3A21',
      senderAsid: '200000001234',
      receiverAsid: '990000000001',
      queryId: '5E0A9C2B-1D4F-4B8E-A6C3-2F1E0D9C8B7A',
      at: '2024-05-01T22:14:00+01:00',
      nhsNumber: '9689177621',
      unscheduled: true,
      organisation: { ods: 'RR8', name: 'Northbridge General Hospital Emergency Department' },
      viewedBy: { name: 'Dr Priya Natarajan', role: 'Specialty Registrar', roleCode: 'R0260', id: '687227875014', roleProfileId: '555254242106' },
    });
  });

  test('a system with a nominated person: the person is who viewed, on the system\'s behalf; the organisation is the maintaining one', () => {
    const asked = query('system-nominated-person');
    expect(asked.systemAsid).toBe('200000005678');
    expect(asked.viewedBy).toEqual({ name: 'Sam Okafor', role: 'Clinical Practitioner Access Role', roleCode: 'R8000', system: '200000005678' });
    expect(asked.organisation).toEqual({ ods: 'RXR', name: 'East Lancashire Urgent Treatment Centre' });
    expect(asked.at).toBe('2024-06-01T08:00:00Z');
  });

  test('a system naming no nominated person: read, with no one who viewed', () => {
    const asked = query('system-without-person');
    expect(asked.systemAsid).toBe('200000005678');
    expect(asked.viewedBy).toBeUndefined();
  });

  test('accessEventType: false in queryByParameter is a silent read; true as content of cP-ISNHSQuery, or none, is unscheduled', () => {
    expect(query('silent-read').unscheduled).toBe(false);
    expect(query('access-event-type-text').unscheduled).toBe(true);
    expect(query('person').unscheduled).toBe(true);
  });

  test('accessEventType in both places: a silent read only when both say false', () => {
    const both = (inQuery: string, inParameters: string) => example('valid', 'person').toString('utf8')
      .replace('</person.NHSnumber>', `</person.NHSnumber><accessEventType value="${inParameters}"/>`)
      .replace('</queryByParameter>', `</queryByParameter><accessEventType>${inQuery}</accessEventType>`);
    const unscheduled = (xml: string) => {
      const parsed = parseDmsQuery(xml);
      if (!parsed.ok) throw new Error(parsed.error.message);
      return parsed.value.unscheduled;
    };
    expect(unscheduled(both('false', 'false'))).toBe(false);
    expect(unscheduled(both('true', 'false'))).toBe(true);
    expect(unscheduled(both('false', 'true'))).toBe(true);
  });

  test('a name in parts is read prefix, given, family; one as text is read as written', () => {
    const named = example('valid', 'person').toString('utf8')
      .replace('<name><prefix>Dr</prefix><given>Priya</given><family>Natarajan</family></name>',
        '<name use="L"><family>Natarajan</family><given>Priya</given><given> Anne </given><prefix>Dr</prefix></name>');
    const parsed = parseDmsQuery(named);
    expect(parsed.ok && parsed.value.viewedBy?.name).toBe('Dr Priya Anne Natarajan');
    const mixed = parseDmsQuery(named.replace(/<name use="L">.*<\/name>/, '<name>Dr <given qualifier="CL">Priya</given> <family>Natarajan</family></name>'));
    expect(mixed.ok && mixed.value.viewedBy?.name).toBe('Dr Priya Natarajan');
  });
});

describe('a query refused', () => {
  const refused = readdirSync(REFUSED).filter((file) => file.endsWith('.xml')).map((file) => {
    const xml = example('refused', file.slice(0, -4));
    return { file, xml, code: REASON.exec(xml.toString('utf8'))?.[1] };
  });

  test('there is an example for each code the reader refuses with', () => {
    expect(new Set(refused.map((r) => r.code))).toEqual(new Set([
      'NO_NHS_NUMBER', 'INVALID_NHS_NUMBER', 'INVALID_QUERY_ID', 'INVALID_TIME', 'NO_AUTHOR_NAME', 'INVALID_ACCESS_EVENT_TYPE',
    ]));
  });

  test.each(refused)('refused/$file: $code, with where, and the message id and sender for the refusal', ({ xml, code }) => {
    const parsed = parseDmsQuery(xml);
    expect(parsed).toMatchObject({
      ok: false,
      error: { code, messageId: '0B3E6A5C-5D2F-4C1A-9E8B-7F6D5C4B3A21', senderAsid: '200000001234', details: [expect.stringMatching(/^\/QUPC_IN000006GB01\/ControlActEvent\//)] },
    });
  });

  test('an invalid NHS number and a missing one are told apart, and the reason never holds the number', () => {
    const bad = parseDmsQuery(example('refused', 'nhs-number-check-digit'));
    const missing = parseDmsQuery(example('refused', 'no-nhs-number'));
    expect(!bad.ok && bad.error.code).toBe('INVALID_NHS_NUMBER');
    expect(!missing.ok && missing.error.code).toBe('NO_NHS_NUMBER');
    expect(JSON.stringify(bad)).not.toContain('968917762');
  });

  test('the schema: another document, a fixed value in the payload, a sender without an ASID', () => {
    expect(parseDmsQuery(example('valid', 'person').toString('utf8').replace(/QUPC_IN000006GB01>/g, 'QUPC_IN000005GB01>').replace('<QUPC_IN000006GB01 ', '<QUPC_IN000005GB01 ')))
      .toMatchObject({ ok: false, error: { code: 'WRONG_DOCUMENT' } });
    expect(parseDmsQuery(example('invalid', 'payload-class-code'))).toMatchObject({ ok: false, error: { code: 'SCHEMA_INVALID', details: [expect.stringMatching(/^line 31: .*classCode/)] } });
    const noAsid = parseDmsQuery(example('invalid', 'sender-without-asid'));
    expect(noAsid).toMatchObject({ ok: false, error: { code: 'SCHEMA_INVALID' } });
    expect(!noAsid.ok && noAsid.error.messageId).toBeUndefined();
  });

  test('not XML at all, and a DOCTYPE', () => {
    expect(parseDmsQuery('<QUPC_IN000006GB01')).toMatchObject({ ok: false, error: { code: 'NOT_WELL_FORMED' } });
    expect(parseDmsQuery('<!DOCTYPE x><x/>')).toMatchObject({ ok: false, error: { code: 'DOCTYPE' } });
  });
});

describe('a query written', () => {
  test.each(['person', 'system-nominated-person', 'system-without-person', 'silent-read'])('%s reads back as the same query', (name) => {
    const asked = query(name);
    expect(parseDmsQuery(buildDmsQuery(asked))).toEqual({ ok: true, value: asked });
  });

  test('a silent read carries accessEventType false in queryByParameter; an unscheduled one none', () => {
    expect(buildDmsQuery(query('silent-read'))).toMatch(/<\/person.NHSnumber>\s*<accessEventType value="false"\/>\s*<\/queryByParameter>/);
    expect(buildDmsQuery(query('person'))).not.toContain('accessEventType');
  });
});

describe('isoTime', () => {
  test.each([
    ['20240501221400+0100', '2024-05-01T22:14:00+01:00'],
    ['202405012214-0030', '2024-05-01T22:14:00-00:30'],
    ['20240229235959.123+0000', '2024-02-29T23:59:59Z'],
  ])('%s is %s', (ts, iso) => expect(isoTime(ts)).toBe(iso));

  test.each(['20240501221400', '20240501+0100', '20230229120000+0000', '20240501246000+0000', '20240501221400+1500'])('%s is no time', (ts) => {
    expect(isoTime(ts)).toBeUndefined();
  });
});
