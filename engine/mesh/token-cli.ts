import { makeAuthorization } from './auth-token.js';

/** Prints a fresh NHSMESH Authorization value: `npm run -s mesh-token -- MAILBOX PASSWORD [SHARED_KEY]`. */
const [mailboxId, password, sharedKey = process.env.MESH_SHARED_KEY ?? 'TestKey'] = process.argv.slice(2);
if (!mailboxId || !password) {
  process.stderr.write('usage: npm run -s mesh-token -- MAILBOX PASSWORD [SHARED_KEY]\n');
  process.exit(2);
}
process.stdout.write(`${makeAuthorization({ mailboxId, password, sharedKey })}\n`);
