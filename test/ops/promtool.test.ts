import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const RULES = 'ops/prometheus/alerts.yml';
const TESTS = readdirSync('ops/prometheus/tests').filter((f) => f.endsWith('.yml')).map((f) => `ops/prometheus/tests/${f}`);

/** promtool's own verdict; CI installs it (Debian's prometheus package, see .ci/run), so its absence fails rather than skips. */
function promtool(...args: string[]): { status: number | null; output: string } {
  const run = spawnSync('promtool', args, { encoding: 'utf8' });
  if (run.error) throw new Error(`promtool cannot run (${run.error.message}): apt-get install prometheus, as .ci/run does`);
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('the Prometheus alerts, by promtool', () => {
  test('check rules accepts alerts.yml', () => {
    const { status, output } = promtool('check', 'rules', RULES);
    expect({ status, output }).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
  });

  test('check config accepts the example scrape configuration with its rules', () => {
    const { status, output } = promtool('check', 'config', 'ops/prometheus/prometheus.yml');
    expect({ status, output }).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
  });

  test('the unit tests in ops/prometheus/tests pass', () => {
    expect(TESTS.length).toBeGreaterThan(0);
    const { status, output } = promtool('test', 'rules', ...TESTS);
    expect({ status, output }).toEqual({ status: 0, output: expect.not.stringContaining('FAILED') });
  });
});
