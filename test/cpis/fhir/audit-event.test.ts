import type * as fhir4 from 'fhir/r4.js';
import { auditEventBundle } from '../../../engine/cpis/fhir/audit-event.js';
import type { Access, FlagAnswer } from '../../../engine/cpis/types.js';
import { BASE, CHILD_NHS, paula, paulaAgain, request, schemaErrors, unnamed, viaSystem } from './samples.js';

type Entry = fhir4.BundleEntry<fhir4.AuditEvent | fhir4.PractitionerRole>;

const render = (accesses: Access[]) =>
  auditEventBundle({ nhsNumber: CHILD_NHS, plans: [], accesses } satisfies FlagAnswer, request('AuditEvent', CHILD_NHS));
const matches = (entries: Entry[]) => entries.filter((e) => e.search?.mode === 'match').map((e) => e.resource as fhir4.AuditEvent);
const includes = (entries: Entry[]) => entries.filter((e) => e.search?.mode === 'include');

/** The included entry an AuditEvent's reference names, resolved against the base as FHIR does. */
function resolve(entries: Entry[], reference: string | undefined): fhir4.PractitionerRole {
  const found = includes(entries).filter((e) => e.fullUrl === `${BASE}/${reference}`);
  expect(found).toHaveLength(1);
  return found[0].resource as fhir4.PractitionerRole;
}

describe('auditEventBundle', () => {
  const bundle = render([paulaAgain, paula, viaSystem, unnamed]);
  const entries = bundle.entry ?? [];
  const events = matches(entries);

  test('is valid R4: total counts the AuditEvents, then one included PractitionerRole per distinct viewer', () => {
    expect(schemaErrors(bundle)).toEqual([]);
    expect(bundle).toMatchObject({ type: 'searchset', total: 4, link: [{ relation: 'self', url: request('AuditEvent', CHILD_NHS).self }] });
    expect(entries.map((e) => [e.resource?.resourceType, e.search?.mode])).toEqual([
      ['AuditEvent', 'match'], ['AuditEvent', 'match'], ['AuditEvent', 'match'], ['AuditEvent', 'match'],
      ['PractitionerRole', 'include'], ['PractitionerRole', 'include'], ['PractitionerRole', 'include'],
    ]);
    for (const entry of entries) expect(entry.fullUrl).toBe(`${BASE}/${entry.resource?.resourceType}/${entry.resource?.id}`);
  });

  test('each access, in the history\'s order: an access event when it happened, the child then the viewer as agents', () => {
    expect(events.map((e) => e.recorded)).toEqual([paulaAgain.at, paula.at, viaSystem.at, unnamed.at]);
    const reference = `PractitionerRole/${includes(entries)[0].resource?.id}`;
    expect(events[0]).toEqual({
      resourceType: 'AuditEvent',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: { system: 'http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle', code: 'access', display: 'Access/View Record Lifecycle Event' },
      recorded: '2024-05-02T11:00:00Z',
      agent: [
        {
          type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleClass', code: 'PAT', display: 'patient' }] },
          who: { identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: CHILD_NHS } },
          requestor: false,
        },
        {
          type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleClass', code: 'ASSIGNED', display: 'assigned entity' }] },
          who: { reference },
          requestor: true,
        },
      ],
      source: { observer: { reference } },
    });
  });

  test('every viewer and observer reference resolves to an included entry', () => {
    for (const event of events) {
      resolve(entries, event.agent[1].who?.reference);
      expect(event.source.observer).toEqual(event.agent[1].who);
    }
  });

  test('a CIS2 user\'s role: role profile id, the person by SDS user id and name, the organisation with its ODS code, the job role', () => {
    expect(resolve(entries, events[1].agent[1].who?.reference)).toEqual({
      resourceType: 'PractitionerRole',
      id: expect.any(String),
      identifier: [{ system: 'https://fhir.nhs.uk/Id/sds-role-profile-id', value: '555021935107' }],
      practitioner: { identifier: { system: 'https://fhir.nhs.uk/Id/sds-user-id', value: '123456789012' }, display: 'Mrs Paula PALMER' },
      organization: {
        identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'RKEAA' },
        display: 'THE WHITTINGTON HOSPITAL NHS TRUST - COMM. PAED. MEDICAL TEAM (RKEAA)',
      },
      code: [{ coding: [{ system: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-SDSJobRoleName', code: 'R8003', display: 'Midwifery sister' }] }],
    });
  });

  test('one person\'s two visits share one PractitionerRole; the same person anywhere else is another', () => {
    expect(events[0].agent[1].who).toEqual(events[1].agent[1].who);
    const elsewhere = render([paula, { ...paula, attendanceId: 'X-1', careSettingName: 'WHITTINGTON HEALTH - ED' }]);
    expect(includes(elsewhere.entry ?? [])).toHaveLength(2);
  });

  test('a system asking on its nominated person\'s behalf: the person is the viewer, the system\'s ASID an application agent', () => {
    const [, , event] = events;
    expect(event.agent[2]).toEqual({
      type: { coding: [{ system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110150', display: 'Application' }] },
      who: { identifier: { system: 'https://fhir.nhs.uk/Id/nhsSpineASID', value: '200000001234' } },
      requestor: false,
    });
    const role = resolve(entries, event.agent[1].who?.reference);
    expect(role.practitioner).toEqual({ display: 'Dr Sam OKAFOR' });
    expect(role.code).toEqual([{ coding: [{ display: 'Clinical Supervisor' }] }]);
    expect(role).not.toHaveProperty('identifier');
    expect(events[0].agent).toHaveLength(2);
  });

  test('an attendance with no clinician named: still an AuditEvent, its viewer the care setting alone', () => {
    const [, , , event] = events;
    expect(event.agent[1].requestor).toBe(true);
    const role = resolve(entries, event.agent[1].who?.reference);
    expect(role).toEqual({
      resourceType: 'PractitionerRole',
      id: expect.any(String),
      organization: {
        identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'RR801' },
        display: 'Leeds General Infirmary ED (RR801)',
      },
    });
  });

  test('no history: total 0 and no entry, still valid', () => {
    const empty = render([]);
    expect(schemaErrors(empty)).toEqual([]);
    expect(empty.total).toBe(0);
    expect(empty).not.toHaveProperty('entry');
  });

  test('the same answer renders the same bundle; AuditEvent ids differ by attendance', () => {
    expect(render([paulaAgain, paula, viaSystem, unnamed])).toEqual(bundle);
    expect(new Set(events.map((e) => e.id)).size).toBe(4);
  });
});
