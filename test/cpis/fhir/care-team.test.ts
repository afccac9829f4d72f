import type * as fhir4 from 'fhir/r4.js';
import { careTeamBundle } from '../../../engine/cpis/fhir/care-team.js';
import type { FlagAnswer } from '../../../engine/cpis/types.js';
import { BASE, CHILD_NHS, cpp, lac, MOTHER_NHS, request, schemaErrors, ucpp } from './samples.js';

const childAnswer: FlagAnswer = { nhsNumber: CHILD_NHS, plans: [cpp, lac], accesses: [] };
const teams = (bundle: fhir4.Bundle<fhir4.CareTeam>) => (bundle.entry ?? []).map((e) => e.resource as fhir4.CareTeam);

describe('the schema check', () => {
  test('finds a broken resource broken, so the checks below could fail', () => {
    const bundle = careTeamBundle(childAnswer, request('CareTeam', CHILD_NHS));
    const broken = { ...bundle, type: 'list-of-teams', total: -1 } as unknown as fhir4.Bundle;
    expect(schemaErrors(broken)).not.toEqual([]);
    const brokenTeam = { ...teams(bundle)[0], period: { start: '10/01/2024' } };
    expect(schemaErrors({ ...bundle, entry: [{ resource: brokenTeam }] })).not.toEqual([]);
  });
});

describe('careTeamBundle', () => {
  const bundle = careTeamBundle(childAnswer, request('CareTeam', CHILD_NHS));

  test('is valid R4: a searchset with the caller\'s id, one match per plan and the request as its self link', () => {
    expect(schemaErrors(bundle)).toEqual([]);
    expect(bundle).toMatchObject({ resourceType: 'Bundle', id: request('CareTeam', CHILD_NHS).bundleId, type: 'searchset', total: 2 });
    expect(bundle.link).toEqual([{ relation: 'self', url: request('CareTeam', CHILD_NHS).self }]);
    expect(bundle.entry?.map((e) => e.search)).toEqual([{ mode: 'match' }, { mode: 'match' }]);
    for (const entry of bundle.entry ?? []) expect(entry.fullUrl).toBe(`${BASE}/CareTeam/${entry.resource?.id}`);
  });

  test('a child protection plan: its SNOMED category, the LA as name and phones, the child by NHS number and name, the period', () => {
    expect(teams(bundle)[0]).toEqual({
      resourceType: 'CareTeam',
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      category: [{ coding: [{ system: 'http://snomed.info/sct', code: '342191000000101', display: 'Subject to child protection plan' }] }],
      name: 'Islington Local Authority',
      subject: { identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: CHILD_NHS }, display: 'Melanie JONES' },
      period: { start: '2024-01-10', end: '2025-01-10' },
      telecom: [
        { system: 'phone', use: 'work', value: '020 7527 7400' },
        { system: 'phone', use: 'mobile', value: '020 7226 0992' },
      ],
    });
    expect(teams(bundle)[0]).not.toHaveProperty('status');
  });

  test('a looked after child with no end date and an LA with no office-hours number: no end, only the emergency phone', () => {
    const team = teams(bundle)[1];
    expect(team.category?.[0].coding).toEqual([{ system: 'http://snomed.info/sct', code: '764841000000100', display: 'Looked after child' }]);
    expect(team.period).toEqual({ start: '2023-06-01' });
    expect(team.telecom).toEqual([{ system: 'phone', use: 'mobile', value: '0113 240 9536' }]);
  });

  test('an unborn child plan is about the mother: her NHS number and name', () => {
    const motherBundle = careTeamBundle({ nhsNumber: MOTHER_NHS, plans: [ucpp], accesses: [] }, request('CareTeam', MOTHER_NHS));
    expect(schemaErrors(motherBundle)).toEqual([]);
    const [team] = teams(motherBundle);
    expect(team.category?.[0].coding?.[0]).toMatchObject({ code: '818901000000100', display: 'Unborn child subject to child protection plan' });
    expect(team.subject).toEqual({ identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: MOTHER_NHS }, display: 'Anna SMITH' });
  });

  test('no record: total 0 and no entry, still valid', () => {
    const empty = careTeamBundle({ nhsNumber: CHILD_NHS, plans: [], accesses: [] }, request('CareTeam', CHILD_NHS));
    expect(schemaErrors(empty)).toEqual([]);
    expect(empty.total).toBe(0);
    expect(empty).not.toHaveProperty('entry');
  });

  test('the same answer renders the same bundle; each plan its own id, which does not depend on the NHS number', () => {
    expect(careTeamBundle(childAnswer, request('CareTeam', CHILD_NHS))).toEqual(bundle);
    const ids = teams(bundle).map((t) => t.id);
    expect(new Set(ids).size).toBe(2);
    const otherChild = { ...cpp, subject: { ...cpp.subject, nhsNumber: '9000000009' } };
    expect(teams(careTeamBundle({ ...childAnswer, plans: [otherChild] }, request('CareTeam', '9000000009')))[0].id).toBe(ids[0]);
  });
});
