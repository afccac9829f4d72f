import { createServer } from 'node:net';
import { SettingError } from './settings.js';

/**
 * Binds the hub's address for a moment and lets it go, so that a port in use or a host
 * that is not this machine's stops the start with one line, before any log or worker.
 */
export function checkListen(port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => reject(listenError(port, host, err.code ?? err.message)));
    server.listen({ port, host }, () => server.close(() => resolve()));
  });
}

function listenError(port: number, host: string, code: string): SettingError {
  if (code === 'EADDRINUSE') return new SettingError(`PORT ${port}: already in use on ${host} (EADDRINUSE)`);
  if (code === 'EACCES') return new SettingError(`PORT ${port}: not allowed for this user on ${host} (EACCES)`);
  return new SettingError(`HOST ${host}: cannot listen there (${code})`);
}
