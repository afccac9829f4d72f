import { parse as parseQueryString } from 'node:querystring';
import fc from 'fast-check';
import { checkDigit, checkNhsNumber } from '../../../engine/cpis/nhs-number.js';
import { checkAuditEventInclude, parsePatientIdentifier, parseUnscheduled } from '../../../engine/cpis/fhir/search-request.js';
import { CHILD_NHS } from './samples.js';

const SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
const invalidSearch = (diagnostics: string) => ({ ok: false, code: 'INVALID_SEARCH_DATA', diagnostics });

/** Valid NHS numbers: nine digits and their check digit, where one exists. */
const validNumber = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 })
  .map((digits) => { const prefix = digits.join(''); const check = checkDigit(prefix); return check === undefined ? undefined : `${prefix}${check}`; })
  .filter((n): n is string => n !== undefined);

describe('parsePatientIdentifier', () => {
  test.each([
    ['the IG\'s form', { 'patient:identifier': `${SYSTEM}|${CHILD_NHS}` }],
    ['with the IG\'s stray trailing ;', { 'patient:identifier': `${SYSTEM}|${CHILD_NHS};` }],
    ['with the sequence diagrams\' misspelt system', { 'patient:identifier': `http://fhir.nhs.uk/id/nhs-number|${CHILD_NHS}` }],
    ['with no system (FHIR: any system)', { 'patient:identifier': CHILD_NHS }],
    ['as patient=', { patient: CHILD_NHS }],
    ['a single-element array', { 'patient:identifier': [`${SYSTEM}|${CHILD_NHS}`] }],
  ])('accepts %s', (_, query) => {
    expect(parsePatientIdentifier(query)).toEqual({ ok: true, nhsNumber: CHILD_NHS });
  });

  test('reads the IG\'s own request line as a query string parser hands it over', () => {
    const query = parseQueryString(`patient:identifier=${SYSTEM}|${CHILD_NHS};`);
    expect(parsePatientIdentifier(query)).toEqual({ ok: true, nhsNumber: CHILD_NHS });
  });

  test.each([
    ['nothing', {}, 'Missing search parameter: patient:identifier'],
    ['only other parameters', { subject: CHILD_NHS, patient: undefined }, 'Missing search parameter: patient:identifier'],
    ['the parameter twice', { 'patient:identifier': [`${SYSTEM}|${CHILD_NHS}`, `${SYSTEM}|${CHILD_NHS}`] }, 'Repeated search parameter: patient:identifier'],
    ['both forms at once', { 'patient:identifier': `${SYSTEM}|${CHILD_NHS}`, patient: CHILD_NHS }, 'Repeated search parameter: patient:identifier'],
    ['another system', { 'patient:identifier': `https://fhir.nhs.uk/Id/local-id|${CHILD_NHS}` }, `Unsupported identifier system: patient:identifier takes ${SYSTEM}`],
    ['an explicitly empty system', { 'patient:identifier': `|${CHILD_NHS}` }, `Unsupported identifier system: patient:identifier takes ${SYSTEM}`],
    ['a failed check digit (the IG\'s own example number)', { 'patient:identifier': `${SYSTEM}|9912003890` }, 'Invalid NHS number'],
    ['spaces inside the number', { 'patient:identifier': `${SYSTEM}|944 930 5552` }, 'Invalid NHS number'],
    ['an empty value', { 'patient:identifier': '' }, 'Invalid NHS number'],
  ])('refuses %s: INVALID_SEARCH_DATA', (_, query, diagnostics) => {
    expect(parsePatientIdentifier(query)).toEqual(invalidSearch(diagnostics));
  });

  test('property: every valid number is read back from each accepted form', () => {
    fc.assert(fc.property(validNumber, fc.constantFrom(`${SYSTEM}|`, 'http://fhir.nhs.uk/id/nhs-number|', ''), fc.constantFrom('', ';'), fc.constantFrom('patient:identifier', 'patient'),
      (nhsNumber, system, tail, name) => {
        expect(parsePatientIdentifier({ [name]: `${system}${nhsNumber}${tail}` })).toEqual({ ok: true, nhsNumber });
      }));
  });

  test('property: whatever the value, a valid NHS number or INVALID_SEARCH_DATA', () => {
    fc.assert(fc.property(fc.string(), (value) => {
      const parsed = parsePatientIdentifier({ 'patient:identifier': `${SYSTEM}|${value}` });
      if (parsed.ok) expect(checkNhsNumber(parsed.nhsNumber)).toEqual({ valid: true });
      else expect(parsed.code).toBe('INVALID_SEARCH_DATA');
    }));
  });

  test('property: ten digits are the number itself or "Invalid NHS number", never echoed', () => {
    const tenDigits = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 10, maxLength: 10 }).map((d) => d.join(''));
    fc.assert(fc.property(tenDigits, (value) => {
      const parsed = parsePatientIdentifier({ patient: value });
      expect(parsed).toEqual(checkNhsNumber(value).valid ? { ok: true, nhsNumber: value } : invalidSearch('Invalid NHS number'));
    }));
  });
});

describe('parseUnscheduled', () => {
  test('absent: unscheduled, as the IG says', () => {
    expect(parseUnscheduled(undefined)).toEqual({ ok: true, unscheduled: true });
    expect(parseUnscheduled([])).toEqual({ ok: true, unscheduled: true });
  });

  test.each([['true', true], ['TRUE', true], ['True', true], ['false', false], ['FALSE', false], [['false'], false]])('%s → %s', (header, unscheduled) => {
    expect(parseUnscheduled(header)).toEqual({ ok: true, unscheduled });
  });

  test('property: anything but true or false, or the header twice, is PRECONDITION_FAILED', () => {
    const refusal = { ok: false, code: 'PRECONDITION_FAILED', diagnostics: 'Missing or invalid head parameter: IsUnscheduledAccessEvent' };
    expect(parseUnscheduled(['true', 'true'])).toEqual(refusal);
    fc.assert(fc.property(fc.string().filter((s) => !['true', 'false'].includes(s.toLowerCase())), (header) => {
      expect(parseUnscheduled(header)).toEqual(refusal);
    }));
  });
});

describe('checkAuditEventInclude', () => {
  test.each([
    ['no _include', {}],
    ['AuditEvent:agent', { _include: 'AuditEvent:agent' }],
    ['AuditEvent:agent:PractitionerRole', { _include: 'AuditEvent:agent:PractitionerRole' }],
    ['the IG\'s malformed value, as a query string parser hands it over',
      parseQueryString('_include=AuditEvent:entity-type=http://terminology.hl7.org/CodeSystem/v3-RoleClass|ASSIGNED')],
    ['two accepted ones', { _include: ['AuditEvent:agent', 'AuditEvent:agent:PractitionerRole'] }],
  ])('accepts %s', (_, query) => {
    expect(checkAuditEventInclude(query)).toEqual({ ok: true });
  });

  test.each([
    ['another include', { _include: 'AuditEvent:entity' }],
    ['a wildcard', { _include: '*' }],
    ['one bad among good', { _include: ['AuditEvent:agent', 'AuditEvent:patient'] }],
  ])('refuses %s: INVALID_SEARCH_DATA', (_, query) => {
    expect(checkAuditEventInclude(query)).toMatchObject({ ok: false, code: 'INVALID_SEARCH_DATA' });
  });
});
