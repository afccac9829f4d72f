import { capabilityStatement } from '../../../engine/cpis/fhir/capability-statement.js';
import { BASE, schemaErrors } from './samples.js';

describe('capabilityStatement', () => {
  const statement = capabilityStatement(BASE);

  test('is valid R4: this software\'s instance at the base, instantiating the CP-IS Producer statement, FHIR 4.0.1 in JSON', () => {
    expect(schemaErrors(statement)).toEqual([]);
    expect(statement).toMatchObject({
      resourceType: 'CapabilityStatement',
      status: 'active',
      kind: 'instance',
      date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      instantiates: ['https://fhir.nhs.uk/CapabilityStatement/CPIS-FHIR-API-Producer'],
      software: { name: 'cpis-exchange' },
      implementation: { url: BASE },
      fhirVersion: '4.0.1',
      format: ['json'],
    });
  });

  test('a server secured by OAuth or client certificates, searching CareTeam and AuditEvent by patient, AuditEvent with its agents included', () => {
    const [rest] = statement.rest ?? [];
    expect(rest.mode).toBe('server');
    expect(rest.security?.service?.map((s) => s.coding)).toEqual(['OAuth', 'Certificates'].map((code) => [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code }]));
    // The token or certificate names the calling system; the user is stated in headers.
    expect(rest.security?.description).toMatch(/mutual TLS/);
    expect(rest.security?.description).toMatch(/X-User-Name/);
    expect(rest.security?.description).not.toMatch(/taken from it/);
    expect(rest.resource?.map((r) => [r.type, r.profile, r.interaction, r.searchParam?.map((p) => [p.name, p.type, p.definition])])).toEqual([
      ['CareTeam', 'http://hl7.org/fhir/StructureDefinition/CareTeam', [{ code: 'search-type' }], [['patient', 'reference', 'http://hl7.org/fhir/SearchParameter/clinical-patient']]],
      ['AuditEvent', 'http://hl7.org/fhir/StructureDefinition/AuditEvent', [{ code: 'search-type' }], [['patient', 'reference', 'http://hl7.org/fhir/SearchParameter/AuditEvent-patient']]],
    ]);
    expect(rest.resource?.[0].searchParam?.[0].documentation).toContain('patient:identifier=https://fhir.nhs.uk/Id/nhs-number|');
    expect(rest.resource?.[1].searchInclude).toEqual(['AuditEvent:agent']);
    expect(rest.resource?.[0]).not.toHaveProperty('searchInclude');
    expect(rest.resource?.[0].documentation).toMatch(/IsUnscheduledAccessEvent: true \(the default\) records the access/);
    expect(rest.resource?.[1].documentation).toMatch(/records no access/);
  });
});
