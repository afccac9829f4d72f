import type { MeshClient } from '../../adapters/mesh-client/index.js';
import { attendanceXml, client, LA706, NHS, planFile, planRecord } from '../support/cpis.js';
import type { TestHub } from '../support/hub.js';
import { type Staff, until } from './staff.js';

/** Schema-invalid: an element the XSD does not allow, and one a browser would run. */
export const SCRIPT_XML = attendanceXml(NHS[0], 'ATT-SCRIPT').replace('<arrival>', '<script>alert(1)</script><arrival>');

export const sendToHub = (mesh: MeshClient, workflowId: string, body: string, localId: string) => mesh.send({ to: 'X26HUB', workflowId, body, localId });

/** The failed message with this local id once it has had `attempts` attempts, as `staff` sees it. */
export const heldFor = (staff: Staff, localId: string, attempts = 1) =>
  until(async () => (await staff.get('/failed', { q: localId, limit: 500 })).body.items.find((m: { attempts: number }) => m.attempts >= attempts));

/**
 * Three failures the real workers hold for staff at once (permanent faults): an attendance
 * carrying `<script>`, an attendance that is not XML (`broken`), and a plan file with a
 * sequence that is not a number. Resolves with their message ids once all three are held.
 */
export async function holdFailures(hub: TestHub, staff: Staff, broken = '<not-xml'): Promise<Record<'script' | 'broken' | 'plan', string>> {
  const trust = client(hub, 'RR8PAS');
  const badPlan = planFile(LA706, 1, [planRecord(NHS[2])]).replace('<sequence>1</sequence>', '<sequence>one</sequence>');
  const ids = {
    script: await sendToHub(trust, 'CPIS_ATTENDANCE', SCRIPT_XML, 'ATT-SCRIPT'),
    broken: await sendToHub(trust, 'CPIS_ATTENDANCE', broken, 'ATT-BROKEN'),
    plan: await sendToHub(client(hub, 'LA706CSC'), 'CPIS_PLAN_UPDATE', badPlan, 'PLAN-BAD'),
  };
  await Promise.all(['ATT-SCRIPT', 'ATT-BROKEN', 'PLAN-BAD'].map((l) => heldFor(staff, l)));
  return ids;
}
