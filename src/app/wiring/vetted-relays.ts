// Relays this device has been connected to, beyond the ones in its settings: those it learned
// from signed relay records and reached. The next session learns them again, so an app whose
// serving relay is gone or blocked still reaches the network in direct mode (protocol/releases.md
// §8); they stay learned, never chosen, so relay-only mode does not dial them. Device only, never
// published; bounded, most recently connected first.
import type { AppDb } from './app-db.ts'

export const MAX_VETTED_RELAYS = 16

export interface VettedRelays {
  list(): readonly string[]
  /** addresses of relays connected now: they go first, and the list is saved when it changed */
  remember(addresses: readonly string[]): void
  /** a relay the person removed in Settings is not dialled again from here either */
  forget(address: string): void
}

const peerOf = (address: string): string => address.slice(address.lastIndexOf('/p2p/'))

/** the remembered relays that are not among the chosen ones (by peer id) */
export function notChosen(chosen: readonly string[], remembered: readonly string[]): string[] {
  const mine = new Set(chosen.map(peerOf))
  return remembered.filter((a) => !mine.has(peerOf(a)))
}

export async function loadVettedRelays(db: AppDb): Promise<VettedRelays> {
  const saved = await db.get<unknown>('vettedRelays').catch(() => undefined)
  let list: string[] = Array.isArray(saved) ? saved.filter((a): a is string => typeof a === 'string' && a.includes('/p2p/')).slice(0, MAX_VETTED_RELAYS) : []
  return {
    list: () => list,
    remember(addresses) {
      // connected now goes first, so the bound drops the relays reached longest ago
      const now = [...new Set(addresses)]
      const next = [...now, ...list.filter((a) => !now.includes(a))].slice(0, MAX_VETTED_RELAYS)
      if (next.length === list.length && next.every((a, i) => a === list[i])) return
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
