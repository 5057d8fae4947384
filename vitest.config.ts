import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    // *.slow.test.ts run with vitest.slow.config.ts (npm run test:slow), not in `npm test`.
    exclude: ['**/node_modules/**', '**/.tsbuild/**', '**/*.slow.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 10_000,
  },
});
