import winston from 'winston';

/**
 * JSON logs. Callers pass ids only (messageId, mailbox, workflowId): never bodies,
 * NHS numbers or names.
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): winston.Logger {
  return winston.createLogger({
    level,
    defaultMeta: { service },
    format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn'] })],
  });
}

export type Logger = winston.Logger;
