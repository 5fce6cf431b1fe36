import { defineConfig } from 'vitest/config'
import { playwright } from '@vitest/browser-playwright'
import { chromiumArgs, chromiumPath } from './test/support/chromium.ts'

// Three projects: fast unit/property tests in Node, the same storage contracts in real
// Chromium, and integration/end-to-end tests with real relay processes and browsers.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        // Pre-bundled up front: discovering them mid-run makes Vite reload the page mid-test.
        optimizeDeps: {
          include: [
            '@automerge/automerge/slim',
            '@ipld/dag-cbor',
            'idb',
            '@libp2p/gossipsub',
            '@libp2p/gossipsub/score',
            '@libp2p/crypto/keys',
            '@libp2p/peer-id',
            '@multiformats/multiaddr',
            'opencc-js/dict/TSCharacters',
          ],
        },
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 60_000,
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({ launchOptions: { executablePath: chromiumPath(), args: chromiumArgs } }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // expect.poll's default 1 s is a deadline a busy machine misses while a real page renders
          expect: { poll: { timeout: 10_000 } },
          // Real processes, ports and browsers: one file at a time keeps a 2-core machine honest.
          fileParallelism: false,
        },
      },
    ],
  },
})
