import { z } from 'zod';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** A duration in config: seconds as a number, or "30s", "15m", "2h", "5d". Parsed to milliseconds. */
export const duration = z.union([z.number().positive(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'number') return value * 1000;
  const match = /^(\d+(?:\.\d+)?)\s*([smhd])$/.exec(value.trim());
  if (!match) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration; write seconds or e.g. "30s", "15m", "2h", "5d"` });
    return z.NEVER;
  }
  const ms = Number(match[1]) * UNIT_SECONDS[match[2]] * 1000;
  if (ms <= 0) {
    ctx.addIssue({ code: 'custom', message: `"${value}" must be longer than zero` });
    return z.NEVER;
  }
  return ms;
});
