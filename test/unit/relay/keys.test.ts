import { describe, expect, it } from 'vitest'
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { loadOrCreateRelayKeys, PEER_KEY_FILE, RECORD_KEY_FILE } from '../../../src/relay/relay-keys.ts'

function withDir(fn: (dir: string) => Promise<void>) {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wg-keys-'))
    try {
      await fn(join(dir, 'data'))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

describe('relay keys', () => {
  it(
    'creates both keys with mode 0600 and loads the same ones again',
    withDir(async (dir) => {
      const a = await loadOrCreateRelayKeys(dir)
      for (const f of [PEER_KEY_FILE, RECORD_KEY_FILE]) expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600)
      expect(statSync(dir).mode & 0o077).toBe(0)
      const b = await loadOrCreateRelayKeys(dir)
      expect(peerIdFromPrivateKey(b.peerKey).toString()).toBe(peerIdFromPrivateKey(a.peerKey).toString())
      expect(b.recordSecret).toEqual(a.recordSecret)
      expect(a.recordSecret).toHaveLength(32)
      expect(readFileSync(join(dir, RECORD_KEY_FILE))).toHaveLength(32)
    }),
  )

  it(
    'tightens a key file someone made world-readable',
    withDir(async (dir) => {
      await loadOrCreateRelayKeys(dir)
      chmodSync(join(dir, RECORD_KEY_FILE), 0o644)
      await loadOrCreateRelayKeys(dir)
      expect(statSync(join(dir, RECORD_KEY_FILE)).mode & 0o777).toBe(0o600)
    }),
  )

  it(
    'refuses a corrupt key instead of silently replacing it',
    withDir(async (dir) => {
      await loadOrCreateRelayKeys(dir)
      writeFileSync(join(dir, PEER_KEY_FILE), new Uint8Array([1, 2, 3]))
      await expect(loadOrCreateRelayKeys(dir)).rejects.toThrow(/E_BAD_KEY/)
    }),
  )

  it(
    'refuses a record key of the wrong length',
    withDir(async (dir) => {
      await loadOrCreateRelayKeys(dir)
      writeFileSync(join(dir, RECORD_KEY_FILE), new Uint8Array(31))
      await expect(loadOrCreateRelayKeys(dir)).rejects.toThrow(/expected 32 bytes/)
    }),
  )
})
