import base from './jest.config.js';

/**
 * The fast tier (`npm run test:unit`): suites that need no Redis, RabbitMQ, hub or child
 * process, so they run in seconds anywhere. A suite joins this list only once it passes
 * with Redis unreachable (`REDIS_URL=redis://127.0.0.1:1 npm run test:unit`).
 */
export default {
  ...base,
  testMatch: [
    'test/unit/**/*.test.ts',
    'test/cpis/**/*.test.ts',
    'test/cli/table.test.ts',
    'test/console/masking.test.ts',
    'test/adapters/document.test.ts',
    'test/adapters/hl7.test.ts',
    'test/adapters/report-document.test.ts',
    'test/mesh-client/chunks.test.ts',
    'test/mesh-client/errors.test.ts',
    'test/pipeline/processing-error.test.ts',
  ].map((path) => `<rootDir>/${path}`),
};
