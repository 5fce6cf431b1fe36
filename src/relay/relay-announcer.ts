// Relays find each other, and clients learn new relays, through signed relay records on the
// relays topic (protocol/relays.md; docs/architecture.md "The network"). The relay signs a
// fresh record with its record key (relay-keys.ts) soon after start and then every
// `intervalMs` (default 5 minutes), listing its current multiaddrs.
import { createRelayRecord, MAX_RELAY_RECORD_ADDRS } from '../core/relay-record.ts'
import { MAX_RELAY_ADDR_BYTES } from '../core/limits.ts'
import type { SecretKey } from '../core/types.ts'
import type { RelayNode } from './relay-node.ts'

export interface RelayAnnouncerInit {
  readonly node: RelayNode
  /** gossip the record on the relays topic (network.publishRelayRecord) */
  readonly publish: (bytes: Uint8Array) => Promise<void>
  readonly secret: SecretKey
  readonly intervalMs: number
  /** first announcement after this delay, so peers relays have connected (default 2 s) */
  readonly firstDelayMs?: number
  readonly log: (message: string) => void
}

export interface RelayAnnouncer {
  /** sign and publish a record now; false if it could not */
  announce(): Promise<boolean>
  /** how many records were published so far */
  readonly published: number
  stop(): void
}

export function startRelayAnnouncer(init: RelayAnnouncerInit): RelayAnnouncer {
  let published = 0
  let stopped = false
  const announce = async (): Promise<boolean> => {
    if (stopped || init.node.status !== 'started') return false
    const peer = init.node.peerId.toString()
    const addrs = [...new Set(init.node.getMultiaddrs().map((ma) => ma.decapsulateCode(421).toString()))]
      .filter((a) => a.length <= MAX_RELAY_ADDR_BYTES)
      .slice(0, MAX_RELAY_RECORD_ADDRS)
    try {
      const record = createRelayRecord(init.secret, { peer, addrs })
      await init.publish(record.bytes)
      published++
      return true
    } catch (err) {
      init.log(`relay record not published: ${String(err)}`)
      return false
    }
  }
  const first = setTimeout(() => void announce(), init.firstDelayMs ?? 2000)
  const timer = setInterval(() => void announce(), init.intervalMs)
  timer.unref()
  first.unref()
  return {
    announce,
    get published() {
      return published
    },
    stop() {
      stopped = true
      clearTimeout(first)
      clearInterval(timer)
    },
  }
}
