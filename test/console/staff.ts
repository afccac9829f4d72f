/** A staff member's browser, reduced to what the API sees: a session cookie and a CSRF token, over real HTTP. */
export interface Answer<T = any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export const PASSWORDS: Record<string, string> = { viewer: 'viewer-password', operator: 'operator-password', admin: 'admin-password' };

export class Staff {
  constructor(readonly base: string, public cookie?: string, public csrfToken?: string) {}

  static async login(url: string, username: string, password = PASSWORDS[username]): Promise<Staff> {
    const staff = new Staff(`${url}/console/api`);
    const answer = await staff.signIn(username, password);
    if (answer.status !== 200) throw new Error(`sign-in as ${username} answered ${answer.status} ${answer.text}`);
    return staff;
  }

  async signIn(username: string, password: string): Promise<Answer> {
    const answer = await this.call('POST', '/login', { username, password }, null);
    const cookie = answer.headers.get('set-cookie');
    if (cookie) this.cookie = cookie.split(';')[0];
    if (answer.status === 200) this.csrfToken = answer.body.csrfToken;
    return answer;
  }

  get(path: string, query: Record<string, string | number> = {}): Promise<Answer> {
    const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
    return this.call('GET', qs ? `${path}?${qs}` : path);
  }

  /** `csrf` null sends no token; a string sends that token instead of the session's. */
  post(path: string, body?: unknown, csrf: string | null = this.csrfToken ?? null): Promise<Answer> {
    return this.call('POST', path, body, csrf);
  }

  private async call(method: string, path: string, body?: unknown, csrf?: string | null): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (csrf) headers['x-csrf-token'] = csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, text, headers: res.headers };
  }
}

export { sleep, until } from '../support/wait.js';
