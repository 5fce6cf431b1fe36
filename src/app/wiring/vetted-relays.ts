// Relays this device has been connected to, beyond the ones in its settings: those it learned
// from signed relay records and reached. They are dialled at the next start too, so an app whose
// serving relay is gone or blocked still reaches the network (protocol/releases.md §8). Device
// only, never published; bounded, most recently connected first.
import type { AppDb } from './app-db.ts'

export const MAX_VETTED_RELAYS = 16

export interface VettedRelays {
  list(): readonly string[]
  /** addresses of relays connected now; new ones go first and are saved */
  remember(addresses: readonly string[]): void
  /** a relay the person removed in Settings is not dialled again from here either */
  forget(address: string): void
}

const peerOf = (address: string): string => address.slice(address.lastIndexOf('/p2p/'))

export async function loadVettedRelays(db: AppDb): Promise<VettedRelays> {
  const saved = await db.get<unknown>('vettedRelays').catch(() => undefined)
  let list: string[] = Array.isArray(saved) ? saved.filter((a): a is string => typeof a === 'string' && a.includes('/p2p/')).slice(0, MAX_VETTED_RELAYS) : []
  return {
    list: () => list,
    remember(addresses) {
      const fresh = [...new Set(addresses)].filter((a) => !list.includes(a))
      if (fresh.length === 0) return
      const next = [...fresh, ...list].slice(0, MAX_VETTED_RELAYS)
      list = next
      db.put('vettedRelays', list).catch(() => undefined)
    },
    forget(address) {
      const next = list.filter((a) => peerOf(a) !== peerOf(address))
      if (next.length === list.length) return
      list = next
      db.put('vettedRelays', list).catch(() => undefined)
    },
  }
}
