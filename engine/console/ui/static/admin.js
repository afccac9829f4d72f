import { get, id, post } from './api.js';
import { field, h, notice, replace, table } from './dom.js';
import { time } from './format.js';

/**
 * An admin's checks on the console itself: whether the audit log's hash chain is whole
 * (and where it first breaks), and lifting a sign-in lockout, which the API audits.
 */
export async function adminPage(ctx) {
  const heading = h('h1', { tabindex: '-1' }, 'Admin');
  if (!ctx.can('admin')) {
    replace(ctx.root, heading, notice('error', 'Only an admin can check the audit chain or unlock accounts.'));
    return;
  }
  replace(ctx.root, heading, chainSection(ctx), unlockSection(ctx));
}

function chainSection(ctx) {
  const result = h('div', {});
  const check = button('Verify the audit chain', result, ctx, async () => chainReport(await get('/audit/verify')));
  return h('section', { 'aria-labelledby': 'chain-heading' },
    h('h2', { id: 'chain-heading' }, 'Audit chain'),
    h('p', {}, 'Walks the audit log from its first entry, checking that each entry holds the hash of the one before and that the end matches its anchor.'),
    check, result);
}

function chainReport(check) {
  const tail = check.anchored ? 'Its tail is anchored.' : 'Its tail is not anchored yet; the next audited action anchors it.';
  if (check.ok) return notice('ok', `Intact: ${check.count} entries. ${tail}`);
  const { id: entry, at, problem, detail } = check.broken;
  return h('div', {},
    notice('error', `Broken after ${check.count} intact entries. ${tail}`),
    table(['Entry', 'Written', 'Problem', 'Detail'], [[entry, at ? time(at) : 'unknown', problem, detail]], 'The first break'));
}

function unlockSection(ctx) {
  const username = h('input', { name: 'username', required: true, autocomplete: 'off', size: 20 });
  const result = h('div', {});
  const send = button('Unlock', result, ctx, async () => {
    const done = await post(`/accounts/${id(username.value.trim())}/unlock`);
    return notice('ok', done.wasLocked ? `Unlocked ${done.username}.` : `${done.username} was not locked; its failed sign-ins are cleared.`);
  }, 'submit');
  return h('section', { 'aria-labelledby': 'unlock-heading' },
    h('h2', { id: 'unlock-heading' }, 'Unlock an account'),
    h('p', {}, 'Clears the failed sign-ins that locked a staff account, before the lock runs out.'),
    h('form', { class: 'filters', onsubmit: (e) => e.preventDefault() }, h('div', { class: 'row' }, field('Username', username)), send),
    result);
}

/** A button that runs `work`, showing what it returns (or its problem) in `result`, disabled while it runs. */
function button(label, result, ctx, work, type = 'button') {
  const el = h('button', {
    type,
    onclick: async (e) => {
      if (type === 'submit' && !e.target.form.reportValidity()) return;
      e.preventDefault();
      el.disabled = true;
      replace(result);
      try {
        replace(result, await work());
        ctx.loaded();
      } catch (err) {
        replace(result, ctx.problem(err));
      } finally {
        el.disabled = false;
      }
    },
  }, label);
  return el;
}
