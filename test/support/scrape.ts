import { sleep } from './wait.js';

/** One sample's value from Prometheus text: `name{a="1",b="2"} 3`; undefined when absent. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = match[2] ? match[2].split(/,(?=\w+=")/) : [];
    if (wanted.every((w) => have.includes(w))) return Number(match[3]);
  }
  return undefined;
}

export async function scrape(hub: { url: string }): Promise<{ status: number; type: string; text: string }> {
  const res = await fetch(`${hub.url}/metrics`);
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

/** Scrapes until the probe finds what it waits for (the workers run on their own time). */
export async function scrapeUntil(hub: { url: string }, probe: (text: string) => boolean, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { text } = await scrape(hub);
    if (probe(text)) return text;
    if (Date.now() > deadline) throw new Error(`metrics never matched:\n${text}`);
    await sleep(100);
  }
}
