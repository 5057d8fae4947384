// Slow tests, not part of `npm test`: the packed packages installed in a clean directory
// (test/*.slow.test.ts). `npm run test:slow`; CI runs them after `npm test`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.slow.test.ts'],
    exclude: ['**/node_modules/**', '**/.tsbuild/**'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 45 * 60_000,
    teardownTimeout: 10_000,
  },
});
