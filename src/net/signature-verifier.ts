// A pluggable signature check for the gossip validators (protocol/gossip.md §Validation).
// Core's verifySignature is async (WebCrypto, a thread-pool hop per message); on Node a
// synchronous backend (verify-node.ts) is much faster per message under load. The backend is
// passed in through createNetwork's init, so src/core stays pure and the browser build never
// sees node:crypto. Every backend must give exactly core's answer and error code on every input.
import type { ErrorCode } from '../core/index.ts'

export interface SignatureVerifier {
  /** null when valid under the strict rules of protocol/identity.md, else the code core gives */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): ErrorCode | null
}
