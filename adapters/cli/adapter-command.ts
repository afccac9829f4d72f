import { Command } from 'commander';
import { createLogger, type Logger } from '../../engine/log.js';
import { loadLaConfig, loadPasConfig } from '../config/load.js';
import type { RunningAdapter } from '../runtime/parts.js';

type Starter = (file: string, log: Logger) => Promise<RunningAdapter>;

/** Loaded on use: the adapters bring libxml2 and amqplib, which the support commands do without. */
const STARTERS: Record<'pas' | 'la', Starter> = {
  pas: async (file, log) => (await import('../pas/pas-adapter.js')).startPasAdapter(loadPasConfig(file), log),
  la: async (file, log) => (await import('../la/la-adapter.js')).startLaAdapter(loadLaConfig(file), log),
};

/** `cpisx adapter pas|la --config FILE`: one adapter process, until SIGTERM or SIGINT. */
export function adapterCommand(): Command {
  const command = new Command('adapter').description('run the adapter next to a trust PAS or an LA system');
  for (const [kind, start] of Object.entries(STARTERS)) {
    command
      .command(kind)
      .description(kind === 'pas' ? 'PAS adapter at a trust: attendances out, flag responses back' : 'LA adapter: notifications and acknowledgements in, plan uploads out')
      .requiredOption('-c, --config <file>', 'adapter configuration (YAML)', process.env.CPIS_ADAPTER_CONFIG)
      .action((opts: { config: string }) => run(`${kind}-adapter`, (log) => start(opts.config, log)));
  }
  return command;
}

/** Signals are handled from the first moment, so a stop during start-up is still clean. */
async function run(service: string, start: (log: Logger) => Promise<RunningAdapter>): Promise<void> {
  const log = createLogger(service);
  let adapter: RunningAdapter | undefined;
  let stopping = false;
  const stop = () => adapter!.stop().then(() => process.exit(0), () => process.exit(1));
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log.info('stopping', { signal });
      if (adapter) void stop();
    });
  }
  try {
    adapter = await start(log);
    if (stopping) void stop();
  } catch (err) {
    process.stderr.write(`cpisx ${service}: ${(err as Error).message}\n`);
    process.exit(1);
  }
}
