import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { parse as parseYaml } from 'yaml';

/** Every .ts file under a folder of the source tree. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** prom-client's default metrics under a prefix, with the series names a histogram exposes. */
async function defaultMetricNames(prefix: string): Promise<string[]> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix });
  const metrics = await registry.getMetricsAsJSON();
  registry.clear();
  return metrics.flatMap(({ name, type }) => (String(type) === 'histogram' ? [name, `${name}_bucket`, `${name}_sum`, `${name}_count`] : [name]));
}

/**
 * The metric names the code exports, read from the source at test time: each quoted
 * `cpisx_…` name in engine/ and adapters/ (a histogram's with its _bucket, _sum and
 * _count), and prom-client's default metrics under each prefix the source gives them.
 */
async function exportedMetrics(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const file of [...sources('engine'), ...sources('adapters')]) {
    const text = readFileSync(file, 'utf8');
    for (const [, name] of text.matchAll(/['"`](cpisx_[a-z0-9_]+)['"`]/g)) names.add(name);
    for (const [, name] of text.matchAll(/new Histogram\(\{[^}]*?name:\s*['"](cpisx_[a-z0-9_]+)['"]/gs)) {
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
    }
    for (const [, prefix] of text.matchAll(/collectDefaultMetrics\([^)]*prefix:\s*['"]([a-z0-9_]+)['"]/g)) {
      for (const name of await defaultMetricNames(prefix)) names.add(name);
    }
  }
  return names;
}

const PROMQL_WORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset']);
/** Prometheus's own series, which no code of ours exports. */
const PROMETHEUS_SERIES = new Set(['up']);

/** The metric names a PromQL expression reads: identifiers left once strings, label matchers, groupings, ranges and function calls are gone. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\$\w+/g, ' ');
  const names = [...bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*(?!\s*\(|[a-zA-Z0-9_:])/g)].map(([name]) => name);
  return names.filter((name) => !PROMQL_WORDS.has(name) && !/^\d/.test(name));
}

function unknownMetrics(exprs: string[], known: Set<string>): string[] {
  return [...new Set(exprs.flatMap(metricNames))].filter((name) => !known.has(name) && !PROMETHEUS_SERIES.has(name)).sort();
}

interface Panel { targets?: { expr?: string }[]; panels?: Panel[] }

function dashboardExprs(file: string): string[] {
  const walk = (panels: Panel[] = []): string[] => panels.flatMap((p) => [...(p.targets ?? []).flatMap((t) => (t.expr ? [t.expr] : [])), ...walk(p.panels)]);
  return walk((JSON.parse(readFileSync(file, 'utf8')) as { panels: Panel[] }).panels);
}

function alertExprs(file: string): string[] {
  const rules = parseYaml(readFileSync(file, 'utf8')) as { groups: { rules: { expr: string }[] }[] };
  return rules.groups.flatMap((g) => g.rules.map((r) => String(r.expr)));
}

describe('the dashboard and the alerts name only metrics the code exports', () => {
  let known: Set<string>;
  beforeAll(async () => { known = await exportedMetrics(); });

  test('the source gives the hub metrics, their histogram series and the default process metrics', () => {
    for (const name of ['cpisx_inbox_depth', 'cpisx_messages_expired_total', 'cpisx_processing_seconds_bucket', 'cpisx_process_resident_memory_bytes']) {
      expect(known).toContain(name);
    }
  });

  test('names are read from PromQL, not its functions, labels, groupings or ranges', () => {
    expect(metricNames('histogram_quantile(0.99, sum by (le, api) (rate(cpisx_query_seconds_bucket{api="fhir"}[$__rate_interval])))')).toEqual(['cpisx_query_seconds_bucket']);
    expect(metricNames('time() - max(cpisx_audit_chain_checked_timestamp_seconds) > 3600')).toEqual(['cpisx_audit_chain_checked_timestamp_seconds']);
    expect(metricNames('max by (mailbox) (cpisx_inbox_oldest_age_seconds{mailbox!="X26HUB"}) > 4 * 3600 or up{job="cpis-hub"} == 0')).toEqual(['cpisx_inbox_oldest_age_seconds', 'up']);
  });

  test('an expression naming a metric nobody exports is caught', () => {
    expect(unknownMetrics(['sum(rate(cpisx_messages_acepted_total[5m]))', 'max by (mailbox) (cpisx_inbox_depth)'], known)).toEqual(['cpisx_messages_acepted_total']);
  });

  test('ops/grafana/cpis-exchange.json', () => {
    const exprs = dashboardExprs('ops/grafana/cpis-exchange.json');
    expect(exprs.length).toBeGreaterThan(10);
    expect(unknownMetrics(exprs, known)).toEqual([]);
  });

  test('ops/prometheus/alerts.yml', () => {
    expect(unknownMetrics(alertExprs('ops/prometheus/alerts.yml'), known)).toEqual([]);
  });
});
