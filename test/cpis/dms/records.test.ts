/** DMS records onto the register's PlanRecords and back onto one verdict per record. */
import { answerRecords, checkFile, fileStatus, laLocalId, mapUpload } from '../../../engine/cpis/dms/records.js';
import { decideBatch } from '../../../engine/cpis/register/rules.js';
import { BRADFORD, TODAY, upload } from './samples.js';

const outcomes = (name: string) => {
  const file = upload(name);
  const mapped = mapUpload(file);
  return answerRecords(file, mapped, decideBatch(new Map(), BRADFORD.ods, mapped.plans, TODAY).results);
};

describe('mapping records onto PlanRecords', () => {
  test('two plans in one record become two upserts about the child, keyed by the LA local id, at the record position', () => {
    const { plans } = mapUpload(upload('two-plans-with-local-id'));
    expect(plans).toEqual([
      { position: 1, record: { localId: 'BR-C-0042', action: 'upsert', subject: { nhsNumber: '9689177605', familyName: 'Marsh', givenName: 'Leo', birthDate: '2014-03-02', role: 'child' }, plan: { type: 'LAC', start: '2023-01-10' } } },
      { position: 1, record: expect.objectContaining({ localId: 'BR-C-0042', plan: { type: 'CPP', start: '2024-04-29' } }) },
    ]);
  });

  test('the time of day of a plan date is dropped: 14:30 on 29 April is 2024-04-29', () => {
    expect(mapUpload(upload('two-plans-with-local-id')).plans[1].record.plan.start).toBe('2024-04-29');
  });

  test('a pregnant looked-after girl: LAC against her as a child, UCPP against her as the mother', () => {
    const records = mapUpload(upload('pregnant-looked-after-girl')).plans.map((p) => p.record);
    expect(records.map((r) => [r.plan.type, r.subject.role, r.plan.end])).toEqual([['LAC', 'child', undefined], ['UCPP', 'mother', '2030-01-01']]);
  });

  test('an unborn child is held against the mother, keyed by her NHS number when no local id is sent', () => {
    const [{ record }] = mapUpload(upload('unborn-child')).plans;
    expect(record).toMatchObject({ localId: '9689177869', subject: { role: 'mother', nhsNumber: '9689177869' }, plan: { type: 'UCPP', end: '2030-12-31' } });
  });

  test('three plans in one record give three PlanRecords', () => {
    expect(mapUpload(upload('three-plans')).plans.map((p) => p.record.plan.type)).toEqual(['LAC', 'CPP', 'UCPP']);
  });

  test('a delete date makes a delete carrying that date', () => {
    expect(mapUpload(upload('deleted-plan')).plans[0].record).toMatchObject({ action: 'delete', plan: { deleteDate: '2024-05-01' } });
    expect(mapUpload(upload('deleted-ucp')).plans[0].record).toMatchObject({ action: 'delete', plan: { end: '2030-12-31', deleteDate: '2024-05-01' } });
  });

  test('an end date ends the plan: an upsert carrying the end', () => {
    expect(mapUpload(upload('ended-plans')).plans.map((p) => [p.record.action, p.record.plan.end])).toEqual([['upsert', '2024-03-31'], ['upsert', '2024-04-30']]);
  });

  test('the LA local id is shown only when it is not the NHS number', () => {
    expect(laLocalId('BR-C-0042', '9689177605')).toBe('BR-C-0042');
    expect(laLocalId('9689177605', '9689177605')).toBeUndefined();
  });
});

describe('per-record answers', () => {
  test('every plan loaded: CPR06 at /File/record[1]', () => {
    expect(outcomes('two-plans-with-local-id')).toMatchObject([{ location: '/File/record[1]', code: 'CPR06' }]);
  });

  test('a 9-digit NHS number is CPR04 at /File/record[3]; the others load (CPF03)', () => {
    const answers = outcomes('five-children-one-bad');
    expect(answers.map((a) => a.code)).toEqual(['CPR06', 'CPR06', 'CPR04', 'CPR06', 'CPR06']);
    expect(answers[2]).toMatchObject({ location: '/File/record[3]', detail: 'NHS_NUMBER_FORMAT' });
    expect(fileStatus(answers)).toBe('CPF03');
  });

  test.each([
    ['nhs-number-letters', 'CPR04', 'NHS_NUMBER_FORMAT'],
    ['nhs-number-check-digit', 'CPR04', 'INVALID_NHS_NUMBER'],
    ['local-id-only', 'CPR07', 'NO_NHS_NUMBER'],
    ['two-children', 'CPR07', 'DUPLICATE_SUBJECT'],
    ['same-plan-twice', 'CPR07', 'DUPLICATE_PLAN'],
    ['end-before-start', 'CPR07', 'END_BEFORE_START'],
    ['cpp-against-mother', 'CPR07', 'WRONG_SUBJECT_ROLE'],
    ['not-a-calendar-date', 'CPR07', 'INVALID_DATE'],
  ])('%s is answered %s (%s) with a reason a person reads, and nothing loads (CPF04)', (name, code, detail) => {
    const answers = outcomes(name);
    expect(answers).toMatchObject([{ code, detail, reason: expect.stringMatching(/^[A-Za-z]/) }]);
    expect(fileStatus(answers)).toBe('CPF04');
  });

  test('a record fails when one of its plans fails, naming that plan', () => {
    const file = upload('two-plans-with-local-id');
    const mapped = mapUpload(file);
    const [answer] = answerRecords(file, mapped, [
      { position: 1, localId: 'BR-C-0042', code: 'CPR06' },
      { position: 1, localId: 'BR-C-0042', code: 'CPR07', detail: 'OPEN_PLAN_EXISTS', reason: 'this LA already holds an open CPP' },
    ]);
    expect(answer).toMatchObject({ code: 'CPR07', detail: 'OPEN_PLAN_EXISTS', reason: 'CPP: this LA already holds an open CPP' });
  });

  test('all loaded is CPF02', () => {
    expect(fileStatus(outcomes('two-plans-with-local-id'))).toBe('CPF02');
  });
});

describe('file-level checks', () => {
  test('transmissionQuantity different from the record count is CPF01', () => {
    expect(checkFile(upload('wrong-count'), '709')).toMatchObject({ code: 'WRONG_COUNT', status: 'CPF01' });
  });

  test('a sender organisation other than the mailbox LA refuses the whole file', () => {
    expect(checkFile(upload('wrong-sender'), '709')).toMatchObject({ code: 'WRONG_SENDER', status: 'CPF04' });
    expect(checkFile(upload('one-child-cpp'), '709')).toBeUndefined();
  });

  test('the sender telecoms give the LA phones; a missing office number is left for the configuration', () => {
    expect(upload('one-child-cpp').sender).toEqual({ ods: '709', name: 'Bradford Metropolitan District Council', officePhone: '01274435600', emergencyPhone: '01274431010' });
    expect(upload('emergency-phone-only').sender).toMatchObject({ officePhone: undefined, emergencyPhone: '+441274431010' });
  });

  test('the file id, creation time and site-code sender are read as sent', () => {
    expect(upload('site-code-root')).toMatchObject({ fileId: '1042', created: '20240501093000+0100', transmissionQuantity: 1, sender: { ods: '709' } });
  });
});
