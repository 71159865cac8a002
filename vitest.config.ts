import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    // Looks for a Chromium once: without one, one line says how to get one (in CI the run fails).
    globalSetup: ['test/support/browser-setup.ts'],
    // Integration, browser and crash tests start real servers and processes; two cores are all we have.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
