import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'src/**/*.test.ts', 'gateway/**/*.test.ts', 'sandbox/**/*.test.ts'],
    environment: 'node',
    // Our users are in the Netherlands and Belgium: run in their zone so a date read as local
    // time instead of UTC fails here, not at a customer.
    env: { TZ: 'Europe/Amsterdam' },
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
