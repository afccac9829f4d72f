/** What `fn` throws, so a test can assert on its fields (kind, status) rather than its message text. */
export function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to throw');
}
