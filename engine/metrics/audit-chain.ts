import { Gauge, type Registry } from 'prom-client';
import type { ChainCheck } from '../console/audit.js';

export interface ChainVerifier {
  verify(): Promise<ChainCheck>;
}

/**
 * `cpisx_audit_chain_intact` and `cpisx_audit_chain_checked_timestamp_seconds`, set by
 * walking the console's audit chain. Registered at the first check that finishes, so a
 * hub that has not checked yet shows no sample rather than an unlabelled gauge's 0,
 * which would read as a broken chain. A check that fails (Redis away) leaves both as
 * they were, so the timestamp goes stale and says so.
 */
export class AuditChainGauges {
  private gauges?: { intact: Gauge; checkedAt: Gauge };

  constructor(private readonly registry: Registry, private readonly audit: ChainVerifier, private readonly now = Date.now) {}

  async check(): Promise<ChainCheck> {
    const result = await this.audit.verify();
    this.gauges ??= {
      intact: this.gauge('cpisx_audit_chain_intact', 'Whether the console audit hash chain verified intact at the last check: 1 intact, 0 broken'),
      checkedAt: this.gauge('cpisx_audit_chain_checked_timestamp_seconds', 'When the console audit chain was last checked, in Unix seconds'),
    };
    this.gauges.intact.set(result.ok ? 1 : 0);
    this.gauges.checkedAt.set(this.now() / 1000);
    return result;
  }

  private gauge(name: string, help: string): Gauge {
    return new Gauge({ name, help, registers: [this.registry] });
  }
}
