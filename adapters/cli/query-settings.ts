import { loadPasQueryClient } from '../config/load.js';
import { ConfigError } from '../../engine/config/yaml-file.js';
import { CliError, usageError } from './cli-error.js';
import { DEFAULT_HUB } from './console-session.js';
import { interactive, readSecret } from './prompt.js';

/** Where `cpisx query`'s credentials come from on the command line. */
export interface QuerySource {
  /** A PAS adapter file with a `query` section. */
  config?: string;
  hub?: string;
  client?: string;
  userName?: string;
  userRole?: string;
  userId?: string;
}

export interface StatedUser {
  name: string;
  role?: string;
  id?: string;
}

/** Everything needed to ask: the hub, the query client and its secret, and the user to state. */
export interface QuerySettings {
  hub: string;
  clientId: string;
  secret: string;
  user?: StatedUser;
}

/**
 * Flags, then the environment (CPISX_HUB, CPISX_QUERY_CLIENT, CPISX_QUERY_SECRET), then the
 * adapter file: the project's rule that the environment overrides a file, so one file serves
 * several deployments. The secret has no flag: a command line is visible to everyone on the host.
 */
export async function querySettings(source: QuerySource, env: NodeJS.ProcessEnv = process.env): Promise<QuerySettings> {
  const file = source.config ? fromFile(source.config, env) : undefined;
  const hub = (source.hub ?? env.CPISX_HUB ?? file?.url ?? DEFAULT_HUB).replace(/\/+$/, '');
  const clientId = source.client ?? env.CPISX_QUERY_CLIENT ?? file?.clientId;
  if (!clientId) throw usageError('say which query client asks: --client ID, CPISX_QUERY_CLIENT, or a query section in the --config file');
  // The file's secret belongs to the file's client only.
  const fileSecret = file?.clientId === clientId ? file.secret : undefined;
  const secret = env.CPISX_QUERY_SECRET || fileSecret || (await askSecret(clientId, hub));
  const name = source.userName ?? file?.user?.name;
  if (name === undefined && (source.userRole ?? source.userId) !== undefined) throw usageError('--user-role and --user-id describe a user: give --user-name too');
  const user = name === undefined ? undefined : { name, role: source.userRole ?? file?.user?.role, id: source.userId ?? file?.user?.id };
  return { hub, clientId, secret, user };
}

function fromFile(file: string, env: NodeJS.ProcessEnv) {
  try {
    const client = loadPasQueryClient(file, env);
    if (!client) throw usageError(`${file} has no query section`);
    return client;
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError('CONFIG_INVALID', err.message);
    throw err;
  }
}

async function askSecret(clientId: string, hub: string): Promise<string> {
  if (!interactive()) throw usageError('no secret: set CPISX_QUERY_SECRET, give --config with a query section, or run on a terminal to be asked');
  return readSecret(`secret for query client ${clientId} at ${hub}: `);
}
