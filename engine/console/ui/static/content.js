import { post, id } from './api.js';
import { h, notice, replace } from './dom.js';

/** The message XML unmasked: as given when the server did not mask it, else asked for once per page (the server audits each ask). */
export function unmasker(messageId, data) {
  let pending;
  const ask = () => post(`/messages/${id(messageId)}/unmask`).then((answer) => answer.xml);
  return () => {
    if (!data.masked) return Promise.resolve(data.xml);
    pending ??= ask().catch((err) => { pending = undefined; throw err; });
    return pending;
  };
}

/**
 * The XML as text in a <pre>: markup or script in a message is shown, never run.
 * Viewers and operators see patient fields masked; an admin may unmask.
 */
export function contentSection(ctx, data, unmasked) {
  const pre = h('pre', { class: 'xml', tabindex: '0', 'aria-label': 'message content' });
  pre.textContent = data.xml ?? '';
  const status = h('div');
  const unmask = async () => {
    button.disabled = true;
    try {
      pre.textContent = await unmasked();
      replace(status, notice('info', 'Unmasked. Your viewing is recorded in the audit log.'));
      button.remove();
    } catch (err) {
      button.disabled = false;
      replace(status, ctx.problem(err));
    }
  };
  const button = h('button', { type: 'button', onclick: () => void unmask() }, 'Unmask patient details');
  return h('section', {},
    h('h2', {}, 'Content'),
    data.masked ? h('p', { class: 'masked' }, 'NHS numbers and names are masked. ', ctx.can('admin') ? button : null) : null,
    status,
    pre);
}
