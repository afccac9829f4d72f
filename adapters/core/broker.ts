/** An AMQP URL for logs: host and port only, since the URL carries the broker password. */
export function describeBroker(url: string): string {
  return URL.canParse(url) ? new URL(url).host : 'the configured broker';
}

/** A part holding a broker connection, which readiness asks about. */
export interface BrokerLink {
  /** host:port, as describeBroker gives it. */
  readonly broker: string;
  /** What the connection is for: `source` or `sink`. */
  readonly role: string;
  connected(): boolean;
}

export function isBrokerLink<T extends object>(part: T): part is T & BrokerLink {
  return typeof (part as Partial<BrokerLink>).connected === 'function';
}
