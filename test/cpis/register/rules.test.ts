import fc from 'fast-check';
import {
  applyChange, decide, decideBatch, isOpen, recordId, visible,
  type Decision, type RejectCode,
} from '../../../engine/cpis/register/rules.js';
import type { PlanRecord, RegisterRecord } from '../../../engine/cpis/types.js';
import { CHILD, MOTHER, OTHER_CHILD, TODAY, held, plan } from './fixtures.js';

const LA = '706';
const OTHER_LA = '709';

const detail = (d: Decision): RejectCode | 'OK' => (d.ok ? 'OK' : d.detail);
const put = (d: Decision): RegisterRecord => {
  if (!d.ok || d.change.op !== 'put') throw new Error(`expected a put, got ${JSON.stringify(d)}`);
  return d.change.record;
};

describe('upsert', () => {
  test('creates the LA\'s record for a child', () => {
    expect(put(decide([], LA, plan('upsert'), TODAY))).toEqual(held(LA));
  });

  test('a UCPP is held against the mother', () => {
    expect(put(decide([], LA, plan('upsert', { type: 'UCPP' }), TODAY))).toMatchObject({ nhsNumber: MOTHER, role: 'mother', type: 'UCPP' });
  });

  test('the same local id again updates the record in place', () => {
    const d = decide([held(LA)], LA, plan('upsert', { subject: { givenName: 'Amelia' } }), TODAY);
    expect(put(d)).toEqual(held(LA, { givenName: 'Amelia' }));
  });

  test('an upsert may carry an end date (a plan loaded after it ended)', () => {
    expect(put(decide([], LA, plan('upsert', { plan: { end: '2025-03-01' } }), TODAY)).end).toBe('2025-03-01');
  });

  test('an upsert without an end reopens the LA\'s own ended record', () => {
    expect(put(decide([held(LA, { end: '2025-03-01' })], LA, plan('upsert'), TODAY)).end).toBeUndefined();
  });

  test('a child can hold records from more than one LA', () => {
    expect(detail(decide([held(OTHER_LA)], LA, plan('upsert'), TODAY))).toBe('OK');
  });

  test.each([
    ['not 10 digits', '968917762'],
    ['check digit 10', '0000000060'],
    ['check digit mismatch', '9689177622'],
  ])('INVALID_NHS_NUMBER: %s', (_, nhsNumber) => {
    const d = decide([], LA, plan('upsert', { subject: { nhsNumber } }), TODAY);
    expect(detail(d)).toBe('INVALID_NHS_NUMBER');
  });

  test.each([
    ['UCPP against a child', plan('upsert', { type: 'UCPP', subject: { role: 'child' } })],
    ['CPP against a mother', plan('upsert', { subject: { role: 'mother' } })],
    ['LAC against a mother', plan('upsert', { type: 'LAC', subject: { role: 'mother' } })],
    ['a child 18 at the plan start', plan('upsert', { subject: { birthDate: '2007-01-10' } })],
    ['a child 18 on 1 March when born on 29 February', plan('upsert', { subject: { birthDate: '2004-02-29' }, plan: { start: '2022-03-01' } })],
  ])('WRONG_SUBJECT_ROLE: %s', (_, record) => {
    expect(detail(decide([], LA, record, TODAY))).toBe('WRONG_SUBJECT_ROLE');
  });

  test.each([
    ['a child the day before turning 18', plan('upsert', { subject: { birthDate: '2007-01-11' } })],
    ['a child born on 29 February, still 17 on 28 February', plan('upsert', { subject: { birthDate: '2004-02-29' }, plan: { start: '2022-02-28' } })],
    ['a child on the plan start day it was born', plan('upsert', { subject: { birthDate: '2025-01-10' } })],
    ['a mother who is herself a child', plan('upsert', { type: 'UCPP', subject: { birthDate: '2010-05-01' } })],
    ['a mother of any adult age', plan('upsert', { type: 'UCPP', subject: { birthDate: '1975-05-01' } })],
  ])('accepted: %s', (_, record) => {
    expect(detail(decide([], LA, record, TODAY))).toBe('OK');
  });

  test('BORN_AFTER_START: a plan before birth is a UCPP, not a CPP', () => {
    expect(detail(decide([], LA, plan('upsert', { subject: { birthDate: '2025-02-01' } }), TODAY))).toBe('BORN_AFTER_START');
  });

  test.each([
    ['birth date', { subject: { birthDate: '2015-02-30' } }],
    ['start', { plan: { start: '2025-1-10' } }],
    ['end', { plan: { end: '2025-13-01' } }],
  ])('INVALID_DATE: %s', (_, options) => {
    expect(detail(decide([], LA, plan('upsert', options), TODAY))).toBe('INVALID_DATE');
  });

  test('START_IN_FUTURE; a start of today is fine', () => {
    expect(detail(decide([], LA, plan('upsert', { plan: { start: '2025-06-16' } }), TODAY))).toBe('START_IN_FUTURE');
    expect(detail(decide([], LA, plan('upsert', { plan: { start: TODAY } }), TODAY))).toBe('OK');
  });

  test.each(['CPP', 'LAC'] as const)('END_IN_FUTURE for a %s: it ends when the LA says it has ended', (type) => {
    expect(detail(decide([], LA, plan('upsert', { type, plan: { end: '2025-06-16' } }), TODAY))).toBe('END_IN_FUTURE');
  });

  describe('a UCPP\'s future end is its planned end', () => {
    const planned = (localId: string, end = '2025-09-30') => plan('upsert', { type: 'UCPP', localId, plan: { end } });
    const heldUcpp = (localId: string) => put(decide([], LA, planned(localId), TODAY));

    test('accepted, kept, open until that day and visible', () => {
      const record = heldUcpp('U1');
      expect(record).toMatchObject({ type: 'UCPP', nhsNumber: MOTHER, end: '2025-09-30' });
      expect([isOpen(record, TODAY), isOpen(record, '2025-09-29'), isOpen(record, '2025-09-30')]).toEqual([true, true, false]);
      expect(visible([record], TODAY)).toEqual([record]);
    });

    test('an end on the start day or after is fine; before it, END_BEFORE_START', () => {
      expect(detail(decide([], LA, planned('U1', '2025-01-10'), TODAY))).toBe('OK');
      expect(detail(decide([], LA, planned('U1', '2025-01-09'), TODAY))).toBe('END_BEFORE_START');
    });

    test('a plan with a planned end is open: OPEN_PLAN_EXISTS for another one from this LA', () => {
      const open = heldUcpp('U1');
      expect(detail(decide([open], LA, planned('U2'), TODAY))).toBe('OPEN_PLAN_EXISTS');
      expect(detail(decide([open], LA, plan('upsert', { type: 'UCPP', localId: 'U2' }), TODAY))).toBe('OPEN_PLAN_EXISTS');
      const noEnd = put(decide([], LA, plan('upsert', { type: 'UCPP', localId: 'U1' }), TODAY));
      expect(detail(decide([noEnd], LA, planned('U2'), TODAY))).toBe('OPEN_PLAN_EXISTS');
    });

    test('once its planned end has come, the LA may start another', () => {
      expect(detail(decide([heldUcpp('U1')], LA, planned('U2', '2026-03-01'), '2025-09-30'))).toBe('OK');
    });
  });

  test('END_BEFORE_START, END_IN_FUTURE; an end on the start day is fine', () => {
    expect(detail(decide([], LA, plan('upsert', { plan: { end: '2025-01-09' } }), TODAY))).toBe('END_BEFORE_START');
    expect(detail(decide([], LA, plan('upsert', { plan: { end: '2025-06-16' } }), TODAY))).toBe('END_IN_FUTURE');
    expect(detail(decide([], LA, plan('upsert', { plan: { end: '2025-01-10' } }), TODAY))).toBe('OK');
  });

  describe('OPEN_PLAN_EXISTS', () => {
    const openA = held(LA, { localId: 'A' });
    test('another open plan of the type from this LA under another local id', () => {
      expect(detail(decide([openA], LA, plan('upsert', { localId: 'B' }), TODAY))).toBe('OPEN_PLAN_EXISTS');
    });
    test.each([
      ['the other plan has ended', [held(LA, { localId: 'A', end: '2025-02-01' })], plan('upsert', { localId: 'B' })],
      ['the new plan is already ended', [openA], plan('upsert', { localId: 'B', plan: { end: '2025-02-01' } })],
      ['the open plan is another LA\'s', [held(OTHER_LA, { localId: 'A' })], plan('upsert', { localId: 'B' })],
      ['the open plan is of another type', [openA], plan('upsert', { localId: 'B', type: 'LAC' })],
      ['the open plan is another person\'s', [held(LA, { localId: 'A', nhsNumber: OTHER_CHILD })], plan('upsert', { localId: 'B' })],
    ])('not when %s', (_, records, record) => {
      expect(detail(decide(records, LA, record, TODAY))).toBe('OK');
    });
  });
});

describe('end', () => {
  test('sets the end on the LA\'s own record and keeps what it holds', () => {
    const d = decide([held(LA)], LA, plan('end', { subject: { givenName: 'Other' }, plan: { start: '2024-01-01', end: '2025-05-01' } }), TODAY);
    expect(put(d)).toEqual(held(LA, { end: '2025-05-01' }));
  });

  test('END_BEFORE_START is judged against the start held', () => {
    const d = decide([held(LA)], LA, plan('end', { plan: { start: '2024-01-01', end: '2024-06-01' } }), TODAY);
    expect(detail(d)).toBe('END_BEFORE_START');
  });

  test.each([
    ['MISSING_END_DATE', {}],
    ['INVALID_DATE', { end: '2025-02-29' }],
    ['END_IN_FUTURE', { end: '2025-07-01' }],
  ])('%s', (code, p) => {
    expect(detail(decide([held(LA)], LA, plan('end', { plan: p }), TODAY))).toBe(code);
  });

  test('END_IN_FUTURE for a LAC too', () => {
    const lac = held(LA, { type: 'LAC' });
    expect(detail(decide([lac], LA, plan('end', { type: 'LAC', plan: { end: '2025-07-01' } }), TODAY))).toBe('END_IN_FUTURE');
  });

  test('a UCPP\'s future end is accepted as its planned end: open until then', () => {
    const ucpp = put(decide([], LA, plan('upsert', { type: 'UCPP' }), TODAY));
    const ended = put(decide([ucpp], LA, plan('end', { type: 'UCPP', plan: { end: '2025-07-01' } }), TODAY));
    expect(ended).toEqual({ ...ucpp, end: '2025-07-01' });
    expect(isOpen(ended, TODAY)).toBe(true);
  });
});

describe('delete', () => {
  test('removes the LA\'s own record', () => {
    const d = decide([held(LA), held(OTHER_LA)], LA, plan('delete', { plan: { deleteDate: TODAY } }), TODAY);
    expect(d).toEqual({ ok: true, change: { op: 'remove', record: held(LA) } });
    if (d.ok) expect(applyChange([held(LA), held(OTHER_LA)], d.change)).toEqual([held(OTHER_LA)]);
  });

  test.each([
    ['MISSING_DELETE_DATE', { deleteDate: undefined }],
    ['INVALID_DATE', { deleteDate: '2025-02-30' }],
  ])('%s', (code, p) => {
    expect(detail(decide([held(LA)], LA, plan('delete', { plan: p }), TODAY))).toBe(code);
  });
});

describe('isOpen: the end day counts as ended', () => {
  test.each([
    [undefined, true],
    ['2025-06-14', false],
    [TODAY, false],
    ['2025-06-16', true],
  ])('end %s on %s', (end, open) => {
    expect(isOpen({ end }, TODAY)).toBe(open);
  });
});

describe.each(['end', 'delete'] as const)('%s of a record this LA does not hold', (action) => {
  const record = plan(action, { plan: { end: '2025-05-01' } });
  test('NOT_FOUND when nobody holds it', () => {
    expect(detail(decide([], LA, record, TODAY))).toBe('NOT_FOUND');
  });
  test('OWNED_BY_ANOTHER_LA when only another LA holds a plan of the type', () => {
    expect(detail(decide([held(OTHER_LA)], LA, record, TODAY))).toBe('OWNED_BY_ANOTHER_LA');
  });
  test('NOT_FOUND when this LA holds that type under another local id', () => {
    expect(detail(decide([held(OTHER_LA), held(LA, { localId: 'X' })], LA, record, TODAY))).toBe('NOT_FOUND');
  });
  test('INVALID_NHS_NUMBER comes first', () => {
    expect(detail(decide([], LA, plan(action, { subject: { nhsNumber: '123' } }), TODAY))).toBe('INVALID_NHS_NUMBER');
  });
});

test('reasons never carry the NHS number or the names', () => {
  const subject = { nhsNumber: '9689177622', familyName: 'Zebedee', givenName: 'Quentin' };
  const records = [
    plan('upsert', { subject }),
    plan('upsert', { subject: { familyName: 'Zebedee', givenName: 'Quentin', birthDate: '1990-01-01' } }),
    plan('end', { subject: { familyName: 'Zebedee', givenName: 'Quentin' } }),
  ];
  for (const record of records) {
    const d = decide([held(OTHER_LA)], LA, record, TODAY);
    expect(d.ok).toBe(false);
    if (!d.ok) for (const secret of [CHILD, ...Object.values(subject)]) expect(d.reason).not.toContain(secret);
  }
});

describe('decideBatch', () => {
  test('later records see earlier changes in the same batch; results keep their positions', () => {
    const out = decideBatch(new Map(), LA, [
      { position: 7, record: plan('upsert', { localId: 'A' }) },
      { position: 8, record: plan('upsert', { localId: 'B' }) },
      { position: 9, record: plan('end', { localId: 'A', plan: { end: '2025-05-01' } }) },
      { position: 10, record: plan('upsert', { localId: 'B' }) },
      { position: 11, record: plan('delete', { localId: 'A' }) },
    ], TODAY);
    expect(out.results.map((r) => [r.position, r.localId, r.code, r.detail])).toEqual([
      [7, 'A', 'CPR06', undefined],
      [8, 'B', 'CPR07', 'OPEN_PLAN_EXISTS'],
      [9, 'A', 'CPR06', undefined],
      [10, 'B', 'CPR06', undefined],
      [11, 'A', 'CPR06', undefined],
    ]);
    expect(out.changes.reduce(applyChange, [])).toEqual([held(LA, { localId: 'B' })]);
  });

  test('a rejected record is reported with CPR07, its detail and reason, and changes nothing', () => {
    const out = decideBatch(new Map([[CHILD, [held(OTHER_LA)]]]), LA, [{ position: 1, record: plan('delete') }], TODAY);
    expect(out.results).toEqual([{ position: 1, localId: 'L1', code: 'CPR07', detail: 'OWNED_BY_ANOTHER_LA', reason: expect.any(String) }]);
    expect(out.changes).toEqual([]);
  });
});

describe('visible', () => {
  const open = held(LA);
  const endedOn = (end: string) => held(LA, { localId: end, end });

  test('open records, and ended ones until 12 months after their end', () => {
    const records = [open, endedOn('2024-06-16'), endedOn('2024-06-15'), endedOn('2024-06-14')];
    expect(visible(records, TODAY).map((r) => r.localId)).toEqual(['L1', '2024-06-16']);
  });

  test('the window is configurable', () => {
    expect(visible([endedOn('2025-01-15')], TODAY, 6)).toHaveLength(1);
    expect(visible([endedOn('2024-12-15')], TODAY, 6)).toHaveLength(0);
    expect(visible([open, endedOn(TODAY)], TODAY, 0)).toEqual([open]);
  });

  test('month ends clamp: an end on 29 February 2024 is visible through 27 February 2025', () => {
    expect(visible([endedOn('2024-02-29')], '2025-02-27')).toHaveLength(1);
    expect(visible([endedOn('2024-02-29')], '2025-02-28')).toHaveLength(0);
  });
});

describe('properties', () => {
  const LAS = [LA, OTHER_LA];
  const date = fc.constantFrom('2010-01-01', '2015-03-01', '2024-06-01', '2025-01-10', '2025-03-01', TODAY, '2025-07-01', '2025-02-30');
  const record: fc.Arbitrary<PlanRecord> = fc.record({
    localId: fc.constantFrom('A', 'B', 'C'),
    action: fc.constantFrom('upsert', 'upsert', 'end', 'delete'),
    subject: fc.record({
      nhsNumber: fc.constantFrom(CHILD, MOTHER, '1234567890'),
      role: fc.constantFrom('child', 'mother'),
      familyName: fc.constantFrom('Smith', 'Jones'),
      givenName: fc.constant('Amy'),
      birthDate: date,
    }),
    plan: fc.record({ type: fc.constantFrom('CPP', 'LAC', 'UCPP'), start: date, end: fc.option(date, { nil: undefined }) }, { requiredKeys: ['type', 'start'] }),
  });
  const fromLa = fc.tuple(fc.constantFrom(...LAS), record);

  type State = Map<string, RegisterRecord[]>;
  const run = (state: State, laOds: string, records: PlanRecord[]) => {
    const out = decideBatch(state, laOds, records.map((r, i) => ({ position: i + 1, record: r })), TODAY);
    const next = new Map(state);
    for (const c of out.changes) next.set(c.record.nhsNumber, applyChange(next.get(c.record.nhsNumber) ?? [], c));
    return { next, results: out.results };
  };
  const runAll = (steps: [string, PlanRecord][]) => steps.reduce((s, [la, r]) => run(s, la, [r]).next, new Map() as State);
  const canonical = (state: State) => [...state.values()].flat().map((r) => JSON.stringify(r)).sort();

  test('applying the same record twice leaves the state as applying it once', () => {
    fc.assert(fc.property(fc.array(fromLa, { maxLength: 12 }), fromLa, (history, [la, r]) => {
      const once = run(runAll(history), la, [r]).next;
      expect(canonical(run(once, la, [r]).next)).toEqual(canonical(once));
    }), { numRuns: 500 });
  });

  test('an LA\'s file never changes another LA\'s records', () => {
    fc.assert(fc.property(fc.array(fromLa, { maxLength: 12 }), fc.constantFrom(...LAS), fc.array(record, { maxLength: 12 }), (history, la, records) => {
      const before = runAll(history);
      const after = run(before, la, records).next;
      const others = (s: State) => canonical(new Map([...s].map(([k, v]) => [k, v.filter((x) => x.laOds !== la)])));
      expect(others(after)).toEqual(others(before));
    }), { numRuns: 500 });
  });

  test('at most one open plan of a type per person per LA, whatever is sent', () => {
    fc.assert(fc.property(fc.array(fromLa, { maxLength: 30 }), (history) => {
      const open = [...runAll(history).values()].flat().filter((r) => isOpen(r, TODAY)).map((r) => `${r.nhsNumber}:${r.laOds}:${r.type}`);
      expect(new Set(open).size).toBe(open.length);
    }), { numRuns: 500 });
  });

  test('every record held is valid by the rules: checked number, right role, dates in order', () => {
    fc.assert(fc.property(fc.array(fromLa, { maxLength: 30 }), (history) => {
      for (const r of [...runAll(history).values()].flat()) {
        expect(r.nhsNumber).not.toBe('1234567890');
        expect(r.role).toBe(r.type === 'UCPP' ? 'mother' : 'child');
        expect(r.birthDate <= r.start && r.start <= TODAY).toBe(true);
        if (r.end !== undefined) expect(r.start <= r.end && (r.type === 'UCPP' || r.end <= TODAY)).toBe(true);
      }
    }), { numRuns: 500 });
  });

  test('splitting a file into batches anywhere gives the same results and state as one batch', () => {
    fc.assert(fc.property(fc.constantFrom(...LAS), fc.array(record, { maxLength: 20 }), fc.nat(20), (la, records, cut) => {
      const whole = run(new Map(), la, records);
      const first = run(new Map(), la, records.slice(0, cut));
      const second = run(first.next, la, records.slice(cut));
      const positions = second.results.map((r) => ({ ...r, position: r.position + Math.min(cut, records.length) }));
      expect([...first.results, ...positions]).toEqual(whole.results);
      expect(canonical(second.next)).toEqual(canonical(whole.next));
    }), { numRuns: 500 });
  });

  test('record ids are unique per LA, type and local id', () => {
    expect(recordId({ laOds: LA, type: 'CPP', localId: 'a:b' })).not.toBe(recordId({ laOds: LA, type: 'CPP', localId: 'a' }));
  });
});
