import { isIP } from 'node:net';

const LABEL = '[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const HOST_NAME = new RegExp(`^(?=.{1,253}$)${LABEL}(\\.${LABEL})*$`);

/** An address a server may listen on: an IP address (`0.0.0.0` for every interface) or a host name. */
export function isListenHost(text: string): boolean {
  return isIP(text) !== 0 || HOST_NAME.test(text);
}
