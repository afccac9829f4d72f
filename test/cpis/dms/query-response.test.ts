/** The hub's answers to a national query: the response, "No Records Found", and the refusal. */
import { parseDmsQuery } from '../../../engine/cpis/dms/query.js';
import { accessQueryId, buildDmsNoRecords, buildDmsQueryAnswer, buildDmsQueryResponse } from '../../../engine/cpis/dms/query-response.js';
import { buildDmsQueryRefusal } from '../../../engine/cpis/dms/query-refusal.js';
import { UCPP_END_NOT_GIVEN } from '../../../engine/cpis/dms/templates.js';
import { uuidFrom } from '../../../engine/cpis/dms/hl7.js';
import { attribute, child, children, treeParser, type Tree } from '../../../engine/cpis/xml/tree.js';
import { ACCESSES, ANSWER, context, example, HUB_ASID, PLANS, query, response, SEVERAL_PLANS_OF_A_TYPE } from './query-samples.js';

const count = (xml: string, text: string) => xml.split(text).length - 1;

const PAYLOAD = 'REPC_IN000007GB01.ControlActEvent.subject.CP-ISNHSQueryResponse';
const read = treeParser([`${PAYLOAD}.pertinentInformation13`, `${PAYLOAD}.pertinentInformation14`,
  `${PAYLOAD}.pertinentInformation14.pertinentCP-ISRecordControlAct.record`,
  `${PAYLOAD}.pertinentInformation14.pertinentCP-ISRecordControlAct.record.CP-ISRecord.pertinentInformation15`,
  `${PAYLOAD}.pertinentInformation14.pertinentCP-ISRecordControlAct.record.CP-ISRecord.subject`,
  `${PAYLOAD}.pertinentInformation14.pertinentCP-ISRecordControlAct.record.communicationFunctionSnd.organisation.telecom`]);
const payload = (xml: string): Tree => child(child(child(child(read(xml), 'REPC_IN000007GB01'), 'ControlActEvent'), 'subject'), 'CP-ISNHSQueryResponse');
/** Per LA, its records. */
const laRecords = (xml: string) => children(payload(xml), 'pertinentInformation14').map((p) => children(child(p, 'pertinentCP-ISRecordControlAct'), 'record'));
/** Each LA's first record. */
const records = (xml: string) => laRecords(xml).map((las) => las[0]);
const laOf = (record: Tree) => attribute(child(child(child(record, 'communicationFunctionSnd'), 'organisation'), 'id'), 'extension');
const templates = (record: Tree) => children(child(record, 'CP-ISRecord'), 'pertinentInformation15').map((p) => attribute(child(p, 'contentId'), 'extension'));

describe('the query response', () => {
  test('wrapper: to the asker from the hub, REPC_IN000007GB01, P/T/NE, the hub as author1, OK', () => {
    const xml = response();
    expect(xml).toContain('<interactionId root="2.16.840.1.113883.2.1.3.2.4.12" extension="REPC_IN000007GB01"/>');
    expect(xml).toMatch(/<processingCode code="P"\/>\s*<processingModeCode code="T"\/>\s*<acceptAckCode code="NE"\/>/);
    expect(xml).toMatch(/<communicationFunctionRcv>\s*<device>\s*<id root="1.2.826.0.1285.0.2.0.107" extension="200000001234"\/>/);
    expect(xml).toMatch(new RegExp(`<communicationFunctionSnd>\\s*<device>\\s*<id root="1.2.826.0.1285.0.2.0.107" extension="${HUB_ASID}"/>`));
    expect(xml).toMatch(new RegExp(`<author1>\\s*<AgentSystemSDS>\\s*<agentSystemSDS>\\s*<id root="1.2.826.0.1285.0.2.0.107" extension="${HUB_ASID}"/>`));
    expect(xml).toMatch(/<queryAck>\s*<queryResponseCode code="OK"\/>/);
    expect(xml).toContain('<id root="A1B2C3D4-E5F6-4789-8ABC-DEF012345678"/>');
    expect(xml).toContain(`<id root="${uuidFrom('query-response:A1B2C3D4-E5F6-4789-8ABC-DEF012345678')}"/>`);
  });

  test('totals: the accesses listed, and the plans', () => {
    const totals = payload(response());
    expect(attribute(child(child(child(totals, 'pertinentInformation11'), 'pertinentTotalReturnedAccessRecords'), 'value'), 'value')).toBe('4');
    expect(attribute(child(child(child(totals, 'pertinentInformation12'), 'pertinentTotalReturnedChildRecords'), 'value'), 'value')).toBe('3');
  });

  test('one record per LA in plan order, each with that LA\'s plans in the response templates', () => {
    expect(laRecords(response()).map((las) => las.length)).toEqual([1, 1]);
    const [bradford, leeds] = records(response());
    expect(laOf(bradford)).toBe('709');
    expect(templates(bradford)).toEqual(['COCT_TP146103GB01#LACInformation', 'COCT_TP146104GB01#UCPInformation']);
    expect(laOf(leeds)).toBe('710');
    expect(templates(leeds)).toEqual(['COCT_TP146105GB01#CPPInformation']);
  });

  test('an LA with an ended and a new plan of the same types: one record per local id, so none holds over three plans', () => {
    const las = laRecords(response({ ...ANSWER, plans: SEVERAL_PLANS_OF_A_TYPE }));
    expect(las).toHaveLength(1);
    expect(las[0].map(laOf)).toEqual(['709', '709']);
    expect(las[0].map(templates)).toEqual([
      ['COCT_TP146103GB01#LACInformation', 'COCT_TP146104GB01#UCPInformation'],
      ['COCT_TP146103GB01#LACInformation', 'COCT_TP146104GB01#UCPInformation', 'COCT_TP146105GB01#CPPInformation'],
    ]);
    expect(las[0].map((r) => children(child(r, 'CP-ISRecord'), 'subject').length)).toEqual([2, 2]);
  });

  test('plan dates are 12 digits; an end when the plan has one, none for an open LAC', () => {
    const xml = response();
    expect(xml).toMatch(/<lACStartDate>\s*<value value="202301100000"\/>/);
    expect(xml).not.toContain('lACEndDate');
    expect(xml).toMatch(/<cPPEndDate>\s*<value value="202309300000"\/>/);
    expect(xml).toMatch(/<uCPStartDate>\s*<value value="202404020000"\/>\s*<\/uCPStartDate>\s*<\/component>\s*<component1>\s*<uCPEndDate>\s*<value value="202411200000"\/>/);
    expect(xml).not.toMatch(/DeleteDate/);
  });

  test('a UCPP held without an end is still shown, with the last end the template can say', () => {
    const xml = response({ ...ANSWER, plans: [{ ...PLANS[2], end: undefined }] });
    expect(xml).toMatch(new RegExp(`<uCPEndDate>\\s*<value value="${UCPP_END_NOT_GIVEN}"/>`));
  });

  test('subjects: the child as Child and the mother as UnbornChild, once each, local id only where it is not the NHS number', () => {
    const [bradford, leeds] = records(response());
    const subjects = (record: Tree) => children(child(record, 'CP-ISRecord'), 'subject').map((s) => attribute(child(s, 'contentId'), 'extension'));
    expect(subjects(bradford)).toEqual(['COCT_TP145101GB01#Child', 'COCT_TP145100GB01#UnbornChild']);
    expect(subjects(leeds)).toEqual(['COCT_TP145101GB01#Child']);
    const xml = response();
    expect(xml).toMatch(/<playedMother>\s*<id root="2.16.840.1.113883.2.1.4.1" extension="9689177621"\/>\s*<id root="2.16.840.1.113883.2.1.3.2.4.18.24" extension="BR-C-0042"\/>/);
    expect(count(xml, 'extension="BR-C-0042"')).toBe(2);
    expect(xml).toMatch(/<birthTime value="20080814"\/>\s*<name>\s*<given>Mia<\/given>\s*<family>Harrow<\/family>/);
  });

  test('LA phones: WP office and EC emergency as tel: without spaces; an LA with no office phone has EC only', () => {
    const [bradford, leeds] = records(response());
    const phones = (record: Tree) => children(child(child(record, 'communicationFunctionSnd'), 'organisation'), 'telecom')
      .map((t) => `${attribute(t, 'use')} ${attribute(t, 'value')}`);
    expect(phones(bradford)).toEqual(['WP tel:01274435600', 'EC tel:01274431010']);
    expect(phones(leeds)).toEqual(['EC tel:01132409536']);
  });

  test('accesses newest first as given, each with its time, id and NHS number', () => {
    const accesses = children(payload(response()), 'pertinentInformation13').map((p) => child(p, 'pertinentCP-ISNHSQuery'));
    expect(accesses.map((a) => attribute(child(a, 'effectiveTime'), 'value'))).toEqual(['20240501221400+0100', '20240420080000+0000', '20240415130500+0000', '20240410024000+0100']);
    expect(accesses.map((a) => attribute(child(a, 'id'), 'root'))).toEqual([
      '5E0A9C2B-1D4F-4B8E-A6C3-2F1E0D9C8B7A', 'C2D9F7A1-3B6E-4D58-8A0F-1E2B3C4D5E6F', uuidFrom('access-query:RR8-ED-20240415-0007'), uuidFrom('access-query:RR8-ED-20240410-0003'),
    ]);
    expect(accesses.every((a) => attribute(child(child(child(a, 'queryByParameter'), 'person.NHSnumber'), 'value'), 'extension') === '9689177621')).toBe(true);
  });

  test('authors: a person with role code and SDS ids; a system with its nominated person; a system unknown; a person with role text only', () => {
    const xml = response();
    const authors = children(payload(xml), 'pertinentInformation13').map((p) => child(child(p, 'pertinentCP-ISNHSQuery'), 'author'));
    expect(authors.map((a) => attribute(child(a, 'contentId'), 'extension'))).toEqual([
      'COCT_TP145102GB01#AssignedAuthor', 'COCT_TP145104GB01#System', 'COCT_TP145104GB01#System', 'COCT_TP145102GB01#AssignedAuthor',
    ]);
    expect(xml).toMatch(/<code code="R0260" codeSystem="2.16.840.1.113883.2.1.3.2.4.17.124" displayName="Specialty Registrar"\/>\s*<id root="1.2.826.0.1285.0.2.0.65" extension="687227875014"\/>\s*<id root="1.2.826.0.1285.0.2.0.67" extension="555254242106"\/>/);
    expect(xml).toMatch(/<id root="1.2.826.0.1285.0.2.0.107" extension="200000005678"\/>\s*<indirectAuthority>\s*<superiorAssignedEntity>\s*<code code="R8000"[^>]*displayName="Clinical Practitioner Access Role"\/>\s*<assignedPerson>\s*<name>Sam Okafor<\/name>/);
    expect(xml).toMatch(/<id root="1.2.826.0.1285.0.2.0.107" extension="000000000000"\/>\s*<maintainingOrganization>/);
    expect(xml).toMatch(/<code code="UNK" codeSystem="2.16.840.1.113883.5.1008" displayName="Emergency nurse practitioner"\/>\s*<id nullFlavor="NI"\/>/);
  });

  test('an access from a query is listed under its id, upper case; one from an attendance under a UUID made from its id', () => {
    expect(accessQueryId(ACCESSES[0].attendanceId)).toBe('5E0A9C2B-1D4F-4B8E-A6C3-2F1E0D9C8B7A');
    expect(accessQueryId('RR8-ED-20240415-0007')).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
    expect(accessQueryId('RR8-ED-20240415-0007')).not.toBe(accessQueryId('RR8-ED-20240415-0008'));
  });

  test('no plans: no response (the response names at least one LA); the answer is No Records Found', () => {
    const none = { ...ANSWER, plans: [] };
    expect(() => buildDmsQueryResponse(none, context())).toThrow(RangeError);
    expect(buildDmsQueryAnswer(none, context())).toBe(buildDmsNoRecords(context()));
    expect(buildDmsQueryAnswer(ANSWER, context())).toBe(response());
  });
});

describe('No Records Found', () => {
  test('QUQI_IN010000UK14, AA naming the query message, NF, to the asker', () => {
    const xml = buildDmsNoRecords(context(query('system-nominated-person')));
    expect(xml).toContain('extension="QUQI_IN010000UK14"');
    expect(xml).toMatch(/<acknowledgement typeCode="AA">\s*<messageRef>\s*<id root="8F14E45F-CEEA-4E7A-9B2C-6D1A3E5F7B90"\/>/);
    expect(xml).toMatch(/<queryAck>\s*<queryResponseCode code="NF"\/>/);
    expect(xml).toMatch(/<communicationFunctionRcv>\s*<device>\s*<id root="1.2.826.0.1285.0.2.0.107" extension="200000005678"\/>/);
    expect(xml).not.toContain('CP-ISNHSQueryResponse');
  });
});

describe('the refusal', () => {
  test('a query read but refused: MCCI_IN010000UK13, AE, its code and reason, naming the query and its sender', () => {
    const parsed = parseDmsQuery(example('refused', 'nhs-number-check-digit'));
    if (parsed.ok) throw new Error('accepted');
    const xml = buildDmsQueryRefusal(parsed.error, context());
    expect(xml).toContain('extension="MCCI_IN010000UK13"');
    expect(xml).toMatch(/<acknowledgement typeCode="AE">\s*<acknowledgementDetail typeCode="ER">\s*<code code="INVALID_NHS_NUMBER" displayName="the NHS number fails the Modulus 11 check: \/QUPC_IN000006GB01\/[^"]*"\/>\s*<\/acknowledgementDetail>\s*<messageRef>\s*<id root="0B3E6A5C-5D2F-4C1A-9E8B-7F6D5C4B3A21"\/>/);
    expect(xml).toMatch(/<communicationFunctionRcv>\s*<device>\s*<id root="1.2.826.0.1285.0.2.0.107" extension="200000001234"\/>/);
  });

  test('a query not read: the message and its sender unknown, said as such', () => {
    const parsed = parseDmsQuery('<QUPC_IN000006GB01');
    if (parsed.ok) throw new Error('accepted');
    const xml = buildDmsQueryRefusal(parsed.error, context());
    expect(xml).toMatch(/<code code="NOT_WELL_FORMED" displayName="not well-formed XML: line 1[^"]*"\/>/);
    expect(xml).toMatch(/<messageRef>\s*<id nullFlavor="UNK"\/>/);
    expect(xml).toMatch(/<communicationFunctionRcv>\s*<device>\s*<id nullFlavor="UNK"\/>/);
  });

  test('AE for a query at fault; AR, with the caller\'s own code, when the hub could not answer', () => {
    const xml = buildDmsQueryRefusal({ code: 'UNAVAILABLE', message: 'the register cannot be reached', messageId: 'X', senderAsid: '200000001234' }, context());
    expect(xml).toContain('<acknowledgement typeCode="AE">');
    const transient = buildDmsQueryRefusal({ code: 'UNAVAILABLE', message: 'the register cannot be reached', transient: true }, context());
    expect(transient).toMatch(/<acknowledgement typeCode="AR">\s*<acknowledgementDetail typeCode="ER">\s*<code code="UNAVAILABLE" displayName="the register cannot be reached"\/>/);
  });
});
