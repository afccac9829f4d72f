import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { MeshClient } from '../../adapters/mesh-client/index.js';
import { attendanceXml, collect, LA708, NHS, PASSWORDS, planFile, planRecord, SAMPLE_CONFIG } from '../support/cpis.js';
import { ConsoleKeys } from '../../engine/console/keys.js';
import { deleteKeys, testRedis } from '../support/hub.js';
import { careTeamPath, fhirGet, QUERY_CLIENTS, queryToken } from '../support/query.js';
import { freePort, spawnHub, type HubProcess } from '../support/hub-process.js';
import { until } from '../support/wait.js';
import { nhsNumbers } from '../support/worker-processes.js';

/**
 * The support console in a real browser against real hub processes: the trust has its
 * flag at once, while the notification the hub's configuration cannot deliver to an LA is
 * held on its own, found by NHS number, explained, and replayed from the page once the
 * configuration is fixed.
 */

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = 'test-artifacts/console.png';
const SCRIPT_XML = '<attendance><script>alert(1)</script></attendance>';
const LAPTOP = 1366;
/** As a PAS may name its files: wider than any column should be. */
const LONG_LOCAL_ID = 'RR8-EMERGENCY-DEPARTMENT-2026-11-28-ATTENDANCE-000123456789';

/** The sample exchange with quick retries and sweeps; `broken` leaves LA708 out of the notification workflow. */
function writeConfig(dir: string, name: string, broken: boolean): string {
  const config = parseYaml(readFileSync(SAMPLE_CONFIG, 'utf8'));
  config.cpis = { ...config.cpis, retry: { attempts: 2, baseDelay: 0.05, maxDelay: 0.2 }, sweepEvery: 0.5, stalledAfter: 2 };
  if (broken) {
    config.workflows = config.workflows.map((w: { id: string }) => (w.id === 'CPIS_ACCESS_NOTIFICATION' ? { ...w, recipients: ['LA706CSC'] } : w));
  }
  const file = join(dir, name);
  writeFileSync(file, toYaml(config));
  return file;
}


describe('the support console in a browser', () => {
  const prefix = `test:browser:${process.pid}:`;
  const dir = mkdtempSync(join(tmpdir(), 'cpisx-console-'));
  let port: number;
  let url: string;
  let hub: HubProcess | undefined;
  let browser: Browser | undefined;
  const pageErrors: string[] = [];
  const dialogs: string[] = [];

  const mesh = (mailboxId: string) => new MeshClient({
    baseUrl: url, mailboxId, password: PASSWORDS[mailboxId], sharedKey: 'TestKey', retry: { attempts: 2, baseDelayMs: 50 },
  });
  const startHub = async (file: string) => { hub = await spawnHub(file, { PORT: String(port), REDIS_KEY_PREFIX: prefix }); };
  const heldInAttendanceQueue = async () => {
    const text = await (await fetch(`${url}/metrics`)).text();
    return /cpisx_queue_jobs\{queue="attendance",state="failed"\} (\d+)/.exec(text)?.[1];
  };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: install Debian's chromium (apt-get install chromium), as .ci/run does`);
    port = await freePort();
    url = `http://127.0.0.1:${port}`;
    await startHub(writeConfig(dir, 'broken.yaml', true));
    await mesh('LA708CSC').send({ to: 'X26HUB', workflowId: 'CPIS_PLAN_UPDATE', body: planFile(LA708, 1, [planRecord(NHS[0])]), localId: 'PLAN-708' });
    await collect(mesh('LA708CSC'), 1); // its acknowledgement: the plan is on the register
    await mesh('RR8PAS').send({ to: 'X26HUB', workflowId: 'CPIS_ATTENDANCE', body: attendanceXml(NHS[0], 'ATT-BROWSER'), localId: 'ATT-BROWSER' });
    await mesh('RR8PAS').send({ to: 'X26HUB', workflowId: 'CPIS_ATTENDANCE', body: SCRIPT_XML, localId: 'ATT-SCRIPT' });
    await mesh('RR8PAS').send({ to: 'X26HUB', workflowId: 'CPIS_ATTENDANCE', body: SCRIPT_XML, localId: LONG_LOCAL_ID });
    await until(async () => ((await heldInAttendanceQueue()) === '3' ? true : undefined));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await deleteKeys(`${prefix}*`);
    rmSync(dir, { recursive: true, force: true });
  });

  /** Staff at a 1366 px laptop screen, in a browser whose local zone is far from UTC. */
  async function openConsole(): Promise<Page> {
    const page = await browser!.newPage({ viewport: { width: LAPTOP, height: 768 }, timezoneId: 'Pacific/Auckland' });
    page.on('pageerror', (err) => pageErrors.push(err.message));
    // A 401 is an answer the pages expect (no session yet, a wrong password); anything else logged as an error is not.
    page.on('console', (msg) => { if (msg.type() === 'error' && !msg.text().includes('status of 401')) pageErrors.push(msg.text()); });
    page.on('dialog', (dialog) => { dialogs.push(dialog.message()); void dialog.dismiss(); });
    const response = await page.goto(`${url}/console`);
    const headers = response!.headers();
    expect(headers['content-security-policy']).toContain("default-src 'self'");
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    return page;
  }

  async function signIn(page: Page, password: string, username = 'operator') {
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  test('an operator finds the held notification by NHS number, reads why, and replays it once the configuration is fixed', async () => {
    const answers = await collect(mesh('RR8PAS'), 3); // the flag, and a REPORT for each <script> file
    expect(answers.filter((m) => m.headers.workflowId === 'CPIS_ATTENDANCE_RESPONSE').map((m) => m.text)).toEqual([expect.stringContaining('ATT-BROWSER')]);
    const page = await openConsole();
    await signIn(page, 'not-the-password');
    await page.getByText('Wrong username or password.').waitFor();
    await signIn(page, 'operator-password');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByRole('link', { name: 'HUB_CONFIGURATION' }).waitFor();

    await page.getByRole('link', { name: 'Failed messages' }).click();
    await page.getByLabel('Search (exact)').fill(NHS[0]);
    await page.getByLabel('Search (exact)').press('Enter');
    await page.getByText('1 failed message match').waitFor();
    const row = page.locator('table.failed tbody tr');
    await expect(row.count()).resolves.toBe(1);
    await expect(row.innerText()).resolves.toContain('HUB_CONFIGURATION');
    await row.getByRole('link').click();

    const why = page.locator('section.failure');
    await why.waitFor();
    await expect(why.innerText()).resolves.toContain('LA 708 has no mailbox for CPIS_ACCESS_NOTIFICATION');

    // The fix: the hub restarts on the same address with LA708 back in the notification workflow.
    await hub!.stop();
    await startHub(writeConfig(dir, 'fixed.yaml', false));
    await page.getByRole('button', { name: 'Replay', exact: true }).click();
    await page.getByText('Replay queued: the message is back on its queue').waitFor();
    const notified = page.locator('ol.journey li.event-reply', { hasText: 'CPIS_ACCESS_NOTIFICATION to LA708CSC' });
    await notified.waitFor({ timeout: 20_000 });
    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    const [notice] = await collect(mesh('LA708CSC'), 1);
    expect(notice.headers.workflowId).toBe('CPIS_ACCESS_NOTIFICATION');
    await page.goto(`${url}/console#/failed?q=${NHS[0]}`);
    await page.getByText('No failed messages match.').waitFor();

    // The audit page lists the replay, found by filtering on the action the hub suggests.
    await page.getByRole('link', { name: 'Audit' }).click();
    await expect(page.locator('datalist#actions option[value="replay"]').count()).resolves.toBe(1);
    await page.getByLabel('Action').fill('replay');
    await page.getByRole('button', { name: 'Filter' }).click();
    const replayed = page.locator('table tbody tr', { hasText: 'operator' });
    await replayed.first().waitFor();
    await expect(replayed.first().innerText()).resolves.toContain('replay');
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 90_000);

  test('a message whose XML carries <script> shows it as text and runs nothing', async () => {
    const page = await openConsole();
    await signIn(page, 'operator-password');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.goto(`${url}/console#/failed?q=ATT-SCRIPT`);
    await page.locator('table.failed tbody tr').getByRole('link').click();
    const content = page.locator('pre.xml');
    await content.waitFor();
    await expect(content.innerText()).resolves.toContain('<script>alert(1)</script>');
    // The shell's own module is the only script element; the message added none and opened no dialog.
    await expect(page.locator('script').count()).resolves.toBe(1);
    await expect(page.locator('main script').count()).resolves.toBe(0);
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 60_000);

  test('the sign-in page offers no page links; they appear once signed in', async () => {
    const page = await openConsole();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const links = page.locator('header nav a');
    await expect(links.count()).resolves.toBe(7);
    await expect(Promise.all([0, 1, 2, 3, 4, 5, 6].map((i) => links.nth(i).isVisible()))).resolves.toEqual([false, false, false, false, false, false, false]);
    await signIn(page, 'operator-password');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await expect(page.getByRole('link', { name: 'Failed messages' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('link', { name: 'NHS numbers' }).isVisible()).resolves.toBe(false); // admins only
    await expect(page.getByRole('link', { name: 'Admin' }).isVisible()).resolves.toBe(false);
    await page.close();
  });

  test('an admin records a superseded NHS number; the LA holding the child is told once', async () => {
    const page = await openConsole();
    await signIn(page, 'admin-password', 'admin');
    await page.getByRole('link', { name: 'NHS numbers' }).click();
    await page.getByLabel('Old NHS number').fill(NHS[0]);
    await page.getByLabel('New NHS number').fill(NHS[0]);
    await page.getByRole('button', { name: 'Tell the LAs' }).click();
    await page.getByText('the old and new NHS numbers are the same').waitFor();
    await page.getByLabel('New NHS number').fill(NHS[1]);
    await page.getByRole('button', { name: 'Tell the LAs' }).click();
    await page.getByText('1 LA told.', { exact: false }).waitFor();
    await expect(page.locator('table', { hasText: 'LA708CSC' }).innerText()).resolves.toContain('now');
    expect(await page.content()).not.toContain(NHS[0]);
    const [notice] = await collect(mesh('LA708CSC'), 1);
    expect(notice.text).toContain('inactiveNhsNumber');
    await page.getByRole('button', { name: 'Tell the LAs' }).click();
    await page.getByText('before', { exact: true }).waitFor();
    expect(await mesh('LA708CSC').count()).toBe(0);
    // The refused pair of numbers was a 400, which the browser logs: expected here, and only that.
    expect(pageErrors.splice(0)).toEqual([expect.stringContaining('status of 400')]);
    await page.close();
  });

  test('an admin verifies the audit chain and unlocks a locked account', async () => {
    const staff = (password: string) => fetch(`${url}/console/api/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'viewer', password }),
    });
    for (let i = 0; i < 6; i++) await staff(`guess-${i}`);
    expect((await staff('viewer-password')).status).toBe(429);
    const page = await openConsole();
    await signIn(page, 'admin-password', 'admin');
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('button', { name: 'Verify the audit chain' }).click();
    await page.getByText(/^Intact: \d+ entries\. Its tail is anchored\.$/).waitFor();
    await page.getByLabel('Username').fill('viewer');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByText('Unlocked viewer.', { exact: true }).waitFor();
    expect((await staff('viewer-password')).status).toBe(200);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  test('an admin sees where the audit chain breaks: the entry, when it was written, what is wrong', async () => {
    const page = await openConsole();
    await signIn(page, 'admin-password', 'admin'); // audited before the tampering, so nothing is appended during it
    await page.getByRole('link', { name: 'Admin' }).click();
    const redis = testRedis();
    const keys = new ConsoleKeys(prefix);
    const [hash, entry] = await redis.hmget(keys.auditAnchor(), 'hash', 'id');
    await redis.hset(keys.auditAnchor(), 'hash', '0'.repeat(64)); // as an edit by hand in Redis leaves it
    try {
      await page.getByRole('button', { name: 'Verify the audit chain' }).click();
      await page.getByText(/^Broken after \d+ intact entries\. Its tail is anchored\.$/).waitFor();
      const row = page.locator('table tbody tr').filter({ hasText: entry! });
      await expect(row.locator('td').allTextContents()).resolves.toEqual([
        entry, expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/), 'changed', 'the anchor holds another hash for this entry',
      ]);
    } finally {
      await redis.hset(keys.auditAnchor(), 'hash', hash!);
      redis.disconnect();
    }
    await page.getByRole('button', { name: 'Verify the audit chain' }).click();
    await page.getByText(/^Intact: \d+ entries\. Its tail is anchored\.$/).waitFor();
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  test('at 1366 px the failed list and the audit fit the screen, times read in UTC and say so', async () => {
    const page = await openConsole();
    await signIn(page, 'operator-password');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.goto(`${url}/console#/failed`);
    await page.locator('table.failed tbody tr').first().waitFor();
    /** The column headers that end beyond the screen's right edge. */
    const offScreen = (table: string) => page.locator(`table.${table} th`).evaluateAll((headers, width) =>
      headers.filter((th) => th.getBoundingClientRect().right > width).map((th) => th.textContent), LAPTOP);
    await expect(offScreen('failed')).resolves.toEqual([]);
    await expect(page.getByRole('columnheader', { name: 'Reason' }).isVisible()).resolves.toBe(true);
    await expect(page.locator(`table.failed .clip[title="${LONG_LOCAL_ID}"]`).count()).resolves.toBe(1);

    // Times: UTC with the zone written, though this browser's zone is Auckland.
    const answer = await page.evaluate(() => fetch('/console/api/failed?limit=1').then((r) => r.json()));
    const failedAt: string = answer.items[0].failedAt;
    await expect(page.locator('table.failed tbody tr').first().locator('td').first().innerText())
      .resolves.toBe(`${failedAt.slice(0, 10)} ${failedAt.slice(11, 19)} UTC`);

    // Every failed message replayed at once (both fail again): an audit entry naming several messages.
    await page.getByRole('button', { name: /^Replay all 2 matching/ }).click();
    await page.getByLabel('Confirmation').fill('REPLAY 2');
    await page.getByRole('button', { name: 'Replay them' }).click();
    await page.getByText('Finished.').waitFor();

    await page.goto(`${url}/console#/audit`);
    await page.locator('table.audit tbody tr', { hasText: 'replay-bulk' }).locator('ul.ids li').nth(1).waitFor();
    await expect(page.getByRole('columnheader', { name: 'Detail' }).isVisible()).resolves.toBe(true);
    await expect(offScreen('audit')).resolves.toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 60_000);

  test('after a replay the page says what happened once, never "replayed" beside a failed status', async () => {
    const page = await openConsole();
    await signIn(page, 'operator-password');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.goto(`${url}/console#/failed?q=ATT-SCRIPT`);
    await page.locator('table.failed tbody tr').getByRole('link').click();
    const replays = page.locator('ol.journey li.event-replayed');
    await page.locator('ol.journey').waitFor();
    const before = await replays.count();
    await page.getByRole('button', { name: 'Replay', exact: true }).click();
    // Not readable XML: it fails again at once, and the page follows it there.
    const status = page.locator('dl.meta dd strong.bad', { hasText: 'failed (held for staff)' });
    await replays.nth(before).waitFor();
    await status.waitFor({ timeout: 20_000 });
    const said = await page.locator('main .notice').allInnerTexts();
    expect(said.join('\n')).not.toMatch(/Replayed|back on its queue/);
    await page.reload();
    await status.waitFor();
    await expect(page.locator('main .notice').count()).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 60_000);

  test('a viewer lists the point-of-care queries, a silent read among them, and filters them by client', async () => {
    const hubAt = { url };
    expect((await fhirGet(hubAt, careTeamPath(NHS[2]), await queryToken(hubAt, QUERY_CLIENTS.ed), { IsUnscheduledAccessEvent: 'false' })).status).toBe(200);
    expect((await fhirGet(hubAt, careTeamPath(NHS[2]), await queryToken(hubAt, QUERY_CLIENTS.miu))).status).toBe(200);
    const page = await openConsole();
    await signIn(page, 'viewer-password', 'viewer');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByRole('link', { name: 'Queries' }).click();
    await page.getByText('Showing 2 queries, newest first.').waitFor();
    await page.getByLabel('Query client').fill(QUERY_CLIENTS.ed.id);
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await page.getByText('Showing 1 query, newest first.').waitFor();
    const row = page.locator('table.queries tbody tr');
    await expect(row.innerText()).resolves.toMatch(/rr8-ed\s+RR8\s+Dr Sam Patel\s+\*{7}919\s+scheduled \(silent\)\s+ok/);
    expect(await page.content()).not.toContain(NHS[2]);
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 60_000);

  test('a viewer searches delivered messages by NHS number as typed, opens one, and lists an inbox from the overview', async () => {
    // A child of its own: child is also named by the superseded-number notice an earlier test sends.
    const [child] = nhsNumbers(1);
    const attendance = await mesh('RR8PAS').send({ to: 'X26HUB', workflowId: 'CPIS_ATTENDANCE', body: attendanceXml(child, 'ATT-FIND'), localId: 'ATT-FIND' });
    const flag = `${attendance}_FLAG`;
    const page = await openConsole();
    await signIn(page, 'viewer-password', 'viewer');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByRole('link', { name: 'RR8PAS' }).click();
    await until(async () => {
      await page.getByRole('heading', { name: 'Mailbox RR8PAS' }).waitFor();
      if (await page.getByRole('link', { name: flag }).count()) return true;
      await page.reload();
      return undefined;
    });
    await page.getByRole('link', { name: 'Search' }).click();
    await page.getByLabel('NHS number').fill(`${child.slice(0, 3)} ${child.slice(3, 6)}-${child.slice(6)}`);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByText('2 messages, newest first.').waitFor(); // the attendance and the flag response, which names the child too
    expect(await page.content()).not.toContain(child);
    await page.getByLabel('NHS number').fill('');
    await page.getByLabel('Local id').fill('ATT-FIND');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByText('2 messages, newest first.').waitFor();
    await page.getByRole('link', { name: flag }).click();
    await page.getByRole('heading', { name: `Message ${flag}` }).waitFor();
    await page.getByRole('heading', { name: 'Journey' }).waitFor();
    expect(await page.content()).not.toContain(child);
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 60_000);

  test('serves its own files with their types, and nothing else from the folder or beyond it', async () => {
    const script = await fetch(`${url}/console/static/app.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
    for (const path of ['/console/static/ui-plugin.ts', '/console/static/..%2Fui-plugin.ts', '/console/static/..%2F..%2F..%2Fhub.ts']) {
      expect((await fetch(`${url}${path}`)).status).toBe(404);
    }
  });

  // Last: it stops the hub, and leaves it started again.
  test('with the hub down the page says it cannot be reached and greys what it shows, dated; it recovers by itself', async () => {
    const page = await openConsole();
    await signIn(page, 'operator-password');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.locator('table').first().waitFor();
    await hub!.stop();
    const unreachable = page.getByText(/The hub cannot be reached: what is shown is as of \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    await unreachable.waitFor({ timeout: 20_000 });
    await expect(page.locator('.page.stale table').count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('.page.stale table').first().evaluate((t) => getComputedStyle(t).opacity)).resolves.toBe('0.5');
    await expect(page.locator('main').innerText()).resolves.not.toContain('Failed to fetch');

    await startHub(writeConfig(dir, 'fixed.yaml', false));
    await page.locator('.page.stale').waitFor({ state: 'detached', timeout: 20_000 });
    await expect(unreachable.count()).resolves.toBe(0);
    await page.close();
  }, 60_000);
});
