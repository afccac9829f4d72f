import { parseWorkflowFilter } from '../../engine/mesh/workflow-filter.js';

const WORKFLOWS = ['TEST_WORKFLOW', 'TEST_WORKFLOW_ACK', 'CPIS_PLAN_UPDATE', 'CPIS_PLAN_UPDATE_ACK', 'OTHER'];
const kept = (expr: string) => WORKFLOWS.filter(parseWorkflowFilter(expr)!);

test('no filter (absent or blank) keeps everything', () => {
  expect(parseWorkflowFilter(undefined)).toBeUndefined();
  expect(parseWorkflowFilter('  ')).toBeUndefined();
});

test.each([
  ['WF: equals', 'TEST_WORKFLOW', ['TEST_WORKFLOW']],
  ['!WF: does not equal', '!TEST_WORKFLOW', ['TEST_WORKFLOW_ACK', 'CPIS_PLAN_UPDATE', 'CPIS_PLAN_UPDATE_ACK', 'OTHER']],
  ['WF*: starts with', 'CPIS_*', ['CPIS_PLAN_UPDATE', 'CPIS_PLAN_UPDATE_ACK']],
  ['!WF*: does not start with', '!CPIS_*', ['TEST_WORKFLOW', 'TEST_WORKFLOW_ACK', 'OTHER']],
  ['*X*: contains', '*_ACK*', ['TEST_WORKFLOW_ACK', 'CPIS_PLAN_UPDATE_ACK']],
  ['!*X*: does not contain', '!*_ACK*', ['TEST_WORKFLOW', 'CPIS_PLAN_UPDATE', 'OTHER']],
  ['equals is exact, not a prefix', 'TEST', []],
  ['contains matches at either end', '*WORKFLOW*', ['TEST_WORKFLOW', 'TEST_WORKFLOW_ACK']],
  ['a lone * starts with nothing: everything', '*', WORKFLOWS],
])('%s', (_what, expr, expected) => {
  expect(kept(expr)).toEqual(expected);
});
