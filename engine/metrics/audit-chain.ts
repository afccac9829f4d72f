import { Gauge, type Registry } from 'prom-client';
import type { SharedCheck } from '../console/shared-audit-check.js';

export interface ChainChecks {
  latest(): Promise<SharedCheck | undefined>;
}

/**
 * `cpisx_audit_chain_intact` and `cpisx_audit_chain_checked_timestamp_seconds`, from the
 * latest check of the console's audit chain (this process's walk or another's). Registered
 * once a check has finished, so a hub that has none yet shows no sample rather than an
 * unlabelled gauge's 0, which would read as a broken chain. The time is the check's, so it
 * goes stale when no process walks (Redis away, the walker gone) and says so.
 */
export class AuditChainGauges {
  private gauges?: { intact: Gauge; checkedAt: Gauge };

  constructor(private readonly registry: Registry, private readonly checks: ChainChecks) {}

  async check(): Promise<SharedCheck | undefined> {
    const latest = await this.checks.latest();
    if (!latest) return undefined;
    this.gauges ??= {
      intact: this.gauge('cpisx_audit_chain_intact', 'Whether the console audit hash chain verified intact at the last check: 1 intact, 0 broken'),
      checkedAt: this.gauge('cpisx_audit_chain_checked_timestamp_seconds', 'When the console audit chain was last checked, in Unix seconds'),
    };
    this.gauges.intact.set(latest.check.ok ? 1 : 0);
    this.gauges.checkedAt.set(latest.at / 1000);
    return latest;
  }

  private gauge(name: string, help: string): Gauge {
    return new Gauge({ name, help, registers: [this.registry] });
  }
}
