// The device's libp2p peer key (protocol/identity.md): separate from the author's identity
// key, never signs posts. Persistent per device so peers and relays can recognise a
// reconnecting device; where it is stored is the caller's business (IndexedDB, a relay's
// data dir). Serialized as the libp2p private-key protobuf.
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { fail } from '../core/index.ts'

export type PeerKey = PrivateKey

/** A fresh Ed25519 peer key. */
export async function generatePeerKey(): Promise<PeerKey> {
  return generateKeyPair('Ed25519')
}

/** Bytes to persist (secret: never log them). */
export function serializePeerKey(key: PeerKey): Uint8Array {
  return privateKeyToProtobuf(key)
}

/** Restores a peer key saved by serializePeerKey; E_BAD_KEY when the bytes are not one. */
export function deserializePeerKey(bytes: Uint8Array): PeerKey {
  let key: PeerKey
  try {
    key = privateKeyFromProtobuf(bytes)
  } catch (cause) {
    return fail('E_BAD_KEY', 'not a serialized libp2p private key', cause)
  }
  if (key.type !== 'Ed25519') fail('E_BAD_KEY', `peer keys are Ed25519, got ${key.type}`)
  return key
}
