/**
 * What staff just did to a message, told once on the page that follows the action and never
 * again: not after a reload, nor from a bookmark, when the message may have moved on.
 */
let last;

export function remember(messageId, done) {
  last = { messageId, done };
}

export function recall(messageId) {
  const done = last?.messageId === messageId ? last.done : undefined;
  last = undefined;
  return done;
}
