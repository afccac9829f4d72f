import { startTestHub, type TestHub } from '../support/hub.js';
import { Staff } from './staff.js';

/** The admin routes over real HTTP: the answers' shapes and who may call them. */
describe('GET /audit/verify and POST /accounts/:username/unlock', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  }, 30_000);
  afterAll(() => hub.stop());

  test('verify is for admins and answers the chain check', async () => {
    const admin = await Staff.login(hub.url, 'admin');
    const operator = await Staff.login(hub.url, 'operator');
    expect((await admin.get('/audit/verify')).body).toEqual({ ok: true, count: 2, anchored: true });
    expect((await operator.get('/audit/verify')).body).toEqual({ code: 'FORBIDDEN', message: 'this needs the admin role; you are operator' });
  });

  test('unlock is an admin\'s change: CSRF token needed, the answer says whether the account was locked', async () => {
    const admin = await Staff.login(hub.url, 'admin');
    expect((await admin.post('/accounts/viewer/unlock', undefined, null)).body).toMatchObject({ code: 'CSRF' });
    const guess = await new Staff(`${hub.url}/console/api`).signIn('viewer', 'guess');
    expect(guess.status).toBe(401);
    expect((await admin.post('/accounts/viewer/unlock')).body).toEqual({ username: 'viewer', wasLocked: false });
    expect((await admin.post('/accounts/nobody/unlock')).status).toBe(404);
  });
});
