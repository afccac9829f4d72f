import { ApiError, post } from './api.js';
import { field, h, notice, replace } from './dom.js';

const EXPLAINED = {
  BAD_CREDENTIALS: 'Wrong username or password.',
  LOCKED_OUT: 'Too many failed sign-ins for this account: it is locked for a while. Try again later or ask an administrator.',
};

/** Sign-in: says plainly why it failed (wrong password, locked out). */
export function loginPage(ctx) {
  const status = h('div', { class: 'status' });
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit' }, 'Sign in');
  if (ctx.params.get('ended')) status.append(notice('info', 'Your session has ended. Sign in again.'));

  const signIn = async (event) => {
    event.preventDefault();
    submit.disabled = true;
    try {
      ctx.setSession(await post('/login', { username: username.value, password: password.value }));
      ctx.go('overview');
    } catch (err) {
      password.value = '';
      const known = err instanceof ApiError && EXPLAINED[err.code];
      replace(status, known ? notice('error', known) : ctx.problem(err));
      password.focus();
    } finally {
      submit.disabled = false;
    }
  };

  replace(ctx.root,
    h('h1', { tabindex: '-1' }, 'Sign in'),
    h('form', { class: 'login', onsubmit: signIn }, field('Username', username), field('Password', password), submit),
    status);
}
