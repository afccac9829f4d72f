#!/usr/bin/env node
import { Command } from 'commander';
import { adapterCommand } from './adapter-command.js';
import { auditCommand } from './audit-command.js';
import { failedCommand } from './failed-command.js';
import { consoleCommand } from './hash-password-command.js';
import { logoutCommand } from './logout-command.js';
import { mailboxCommand } from './mailbox-command.js';
import { messageCommand, messagesCommand } from './messages-command.js';
import { nhsNumberCommand } from './nhs-number-command.js';
import { packageVersion } from './package-version.js';
import { queryCommand } from './query-command.js';
import { queriesCommand } from './queries-command.js';
import { runProgram } from './run.js';

/** `cpisx`: the project's command line. Each command group lives in its own module. */
const program = new Command('cpisx')
  .description('cpis-exchange: CP-IS messages between NHS trusts and local authorities')
  .version(packageVersion())
  .addCommand(adapterCommand())
  .addCommand(failedCommand())
  .addCommand(auditCommand())
  .addCommand(queriesCommand())
  .addCommand(mailboxCommand())
  .addCommand(messagesCommand())
  .addCommand(messageCommand())
  .addCommand(nhsNumberCommand())
  .addCommand(queryCommand())
  .addCommand(consoleCommand())
  .addCommand(logoutCommand());

await runProgram(program);
