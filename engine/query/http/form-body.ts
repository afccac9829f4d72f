import type { FastifyInstance } from 'fastify';

export const FORM = 'application/x-www-form-urlencoded';

/**
 * Makes `application/x-www-form-urlencoded` the only body this plugin scope reads, at most
 * `maxBytes`, parsed to URLSearchParams; any other body type is refused (415) before the handler.
 */
export function acceptFormsOnly(app: FastifyInstance, maxBytes: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: maxBytes }, (_req, body, done) => done(null, new URLSearchParams(body as string)));
}

/** The parameter named more than once, if any: RFC 6749 §3.2 allows each only once. */
export function repeatedParameter(form: URLSearchParams, names: readonly string[]): string | undefined {
  return names.find((name) => form.getAll(name).length > 1);
}
