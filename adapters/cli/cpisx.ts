import { Command } from 'commander';
import { adapterCommand } from './adapter-command.js';

/** `cpisx`: the project's command line. Each command group lives in its own module. */
const program = new Command('cpisx')
  .description('cpis-exchange: CP-IS messages between NHS trusts and local authorities')
  .addCommand(adapterCommand());

await program.parseAsync();
