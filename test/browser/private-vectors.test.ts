// The direct-message vectors in real Chromium: BoringSSL's X25519 through WebCrypto, and noble,
// must give the bytes and codes that Node gives (test/unit/vectors.test.ts).
import { describe, it } from 'vitest'
import cases from '../../protocol/vectors/direct-messages.json' with { type: 'json' }
import { nobleX25519, webCryptoX25519 } from '../../src/core/x25519.ts'
import { runPrivateVectors } from '../unit/vectors-private.ts'

describe('direct-message vectors in Chromium', () => {
  it('direct-messages.json with WebCrypto and noble', async () => {
    await runPrivateVectors(cases as never, [webCryptoX25519, nobleX25519])
  })
})
