/**
 * The inbox `workflow_filter` query (MESH.md): `WF` equals, `!WF` not equal,
 * `WF*` starts with, `*X*` contains; a leading `!` negates any of them.
 */
export type WorkflowFilter = (workflowId: string) => boolean;

export function parseWorkflowFilter(expr: string | undefined): WorkflowFilter | undefined {
  let pattern = (expr ?? '').trim();
  if (pattern === '') return undefined;
  const negate = pattern.startsWith('!');
  if (negate) pattern = pattern.slice(1);
  const test = matcher(pattern);
  return negate ? (wf) => !test(wf) : test;
}

function matcher(pattern: string): WorkflowFilter {
  if (pattern.length > 1 && pattern.startsWith('*') && pattern.endsWith('*')) {
    const part = pattern.slice(1, -1);
    return (wf) => wf.includes(part);
  }
  if (pattern.endsWith('*')) {
    const prefix = pattern.slice(0, -1);
    return (wf) => wf.startsWith(prefix);
  }
  return (wf) => wf === pattern;
}
