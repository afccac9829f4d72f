/** An AMQP URL for logs: host and port only, since the URL carries the broker password. */
export function describeBroker(url: string): string {
  return URL.canParse(url) ? new URL(url).host : 'the configured broker';
}
