/* global document, location, window, URLSearchParams */
import { ApiError, get, HUB_UNREACHABLE, post, useCsrfToken } from './api.js';
import { h, notice, replace } from './dom.js';
import { adminPage } from './admin.js';
import { auditPage } from './audit.js';
import { failedPage } from './failed.js';
import { time } from './format.js';
import { loginPage } from './login.js';
import { mailboxPage } from './mailbox.js';
import { messagePage } from './message.js';
import { nhsNumbersPage } from './nhs-numbers.js';
import { overviewPage } from './overview.js';
import { queriesPage } from './queries.js';
import { searchPage } from './search.js';

/** Hash routes (`#/failed?reason=X`, `#/message/<id>`): one page, bookmarkable views, a working back button. */
const ROUTES = { login: loginPage, overview: overviewPage, failed: failedPage, message: messagePage, audit: auditPage, queries: queriesPage, 'nhs-numbers': nhsNumbersPage, search: searchPage, mailbox: mailboxPage, admin: adminPage };

const RANK = { viewer: 0, operator: 1, admin: 2 };

let session;
let leave;
let rendering = 0;

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, search = ''] = raw.split('?');
  const [name, ...rest] = path.split('/');
  return { name: name || 'overview', arg: rest.map(decodeURIComponent).join('/'), params: new URLSearchParams(search) };
}

export function go(name, params) {
  const search = params ? new URLSearchParams(params).toString() : '';
  const next = `#/${name}${search ? `?${search}` : ''}`;
  if (location.hash === next) void render();
  else location.hash = next;
}

function setSession(value) {
  session = value;
  useCsrfToken(value?.csrfToken);
  document.getElementById('nav').hidden = !value;
  document.getElementById('logout').hidden = !value;
  document.getElementById('nav-nhs-numbers').hidden = value?.role !== 'admin';
  document.getElementById('nav-admin').hidden = value?.role !== 'admin';
  replace(document.getElementById('who'), value ? `${value.username} (${value.role})` : '');
}

/** What every page gets: the session, its role checks, and one way to show an error. */
function context(root, route) {
  let loadedAt;
  return {
    ...route,
    root,
    session,
    can: (role) => Boolean(session) && RANK[session.role] >= RANK[role],
    go,
    setSession,
    /** The page's data has just come from the hub: it is current. */
    loaded() {
      loadedAt = new Date().toISOString();
      root.classList.remove('stale');
    },
    /**
     * A notice for the error; an ended session goes back to sign-in instead. With the hub out
     * of reach, what the page already shows is greyed and dated rather than passed off as current.
     */
    problem(err) {
      if (err instanceof ApiError && err.code === HUB_UNREACHABLE) {
        if (!loadedAt) return notice('error', 'The hub cannot be reached. Check that it is running, then reload the page.');
        root.classList.add('stale');
        return notice('error', `The hub cannot be reached: what is shown is as of ${time(loadedAt)} and may be out of date.`);
      }
      if (err instanceof ApiError && err.status === 401 && route.name !== 'login') {
        setSession(undefined);
        go('login', { ended: '1' });
        return notice('error', 'Your session has ended. Sign in again.');
      }
      const code = err instanceof ApiError ? `${err.code}: ` : '';
      return notice('error', code, err.message, err.details?.length ? h('ul', {}, err.details.map((d) => h('li', {}, d))) : null);
    },
  };
}

async function currentSession() {
  if (session) return session;
  try {
    setSession(await get('/session'));
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 401)) throw err;
  }
  return session;
}

async function render() {
  leave?.();
  leave = undefined;
  const turn = ++rendering;
  const main = document.getElementById('main');
  const route = parseHash();
  const root = h('div', { class: `page page-${route.name}` });
  replace(main, root);
  try {
    if (!(await currentSession()) && route.name !== 'login') return go('login');
    const page = ROUTES[route.name];
    if (!page) return replace(root, h('h1', { tabindex: '-1' }, 'Not found'), notice('error', 'There is no such page.'));
    const stop = await page(context(root, route));
    // Left while it loaded: stop its timers now rather than leave them running behind the next page.
    if (turn === rendering) leave = stop;
    else stop?.();
  } catch (err) {
    root.append(context(root, route).problem(err));
  }
  (main.querySelector('h1') ?? main).focus({ preventScroll: true });
}

async function logout() {
  try {
    await post('/logout');
  } finally {
    setSession(undefined);
    go('login');
  }
}

document.getElementById('logout').addEventListener('click', () => void logout());
window.addEventListener('hashchange', () => void render());
void render();
