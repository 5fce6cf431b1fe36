import { expect, it } from 'vitest'

it('runs in real Chromium with IndexedDB and Ed25519 WebCrypto', async () => {
  expect(typeof indexedDB.open).toBe('function')
  const key = await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])
  expect(key).toHaveProperty('privateKey')
})
