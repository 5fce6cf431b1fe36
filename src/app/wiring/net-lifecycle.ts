// The backend's one network session at a time: started with the settings of the moment,
// replaced when a setting that fixes the transports changes (net-session.ts), stopped with the
// backend. The only owner of the current session; everything else asks `session()`.
import type { AuthorId } from '../../core/types.ts'
import type { PeerKey } from '../../net/peer-key.ts'
import type { Store } from '../../store/types.ts'
import type { AppSettings } from '../state/backend.ts'
import type { NetworkInit } from '../../net/network.ts'
import type { ConnectionView } from '../state/view-types.ts'
import type { AppDb } from './app-db.ts'
import type { DmWiring } from './dm-wiring.ts'
import { choosePeerKey, peerIdOfAddress, startNetSession, type NetSession } from './net-session.ts'
import { notChosen, type VettedRelays } from './vetted-relays.ts'

export interface NetLifecycle {
  /** the session running now; undefined while one is being replaced */
  session(): NetSession | undefined
  start(settings: AppSettings): Promise<void>
  /** stops the running session and starts one with these settings */
  restart(settings: AppSettings): Promise<void>
  stop(): Promise<void>
}

export function createNetLifecycle(init: {
  db: AppDb
  store: Store
  me: AuthorId
  peerKey: PeerKey
  vetted: VettedRelays
  dmWiring: DmWiring
  /** the connection status changed (a relay or peer came or went) */
  onStatus(): void
}): NetLifecycle {
  let net: NetSession | undefined

  // cursors per relay survive restarts: a reopened app asks each relay only for what arrived
  // since (what concerns it, its follows' posts), and catches up on what it missed while closed
  async function loadCursors(): Promise<NonNullable<NetworkInit['subscriptionCursors']>> {
    const cursors = (await init.db.get<Record<string, string>>('subscriptionCursors').catch(() => undefined)) ?? {}
    return {
      initial: cursors,
      save(peer: string, cursor: string) {
        cursors[peer] = cursor
        init.db.put('subscriptionCursors', cursors).catch(() => undefined)
      },
    }
  }

  async function start(settings: AppSettings): Promise<void> {
    const subscriptionCursors = await loadCursors()
    // the relays reached before stay learned, not chosen: in relay-only mode only the person's
    // own relays are dialled, and a relay a stranger announced must not become one of them
    const learned = notChosen(settings.relays, init.vetted.list())
    const peerKey = await choosePeerKey(settings.privacy, init.peerKey)
    const session = await startNetSession({
      peerKey,
      store: init.store,
      me: init.me,
      relays: settings.relays,
      learned,
      privacy: settings.privacy,
      subscriptionCursors,
    })
    net = session
    init.dmWiring.attach(session)
    session.network.status.subscribe(() => {
      init.vetted.remember(session.connectedRelayAddresses())
      init.onStatus()
    })
  }

  return {
    session: () => net,
    start,
    async restart(settings) {
      const old = net
      net = undefined
      init.dmWiring.detach()
      await old?.stop().catch(() => undefined)
      await start(settings)
    },
    async stop() {
      init.dmWiring.detach()
      await net?.stop()
    },
  }
}

/**
 * What the connection indicator shows: the relays in the settings, and any other this device
 * reached; and the learned relays for Settings, answered if they did now or in an earlier
 * session (`reachedBefore`, vetted-relays.ts).
 */
export function describeConnection(net: NetSession | undefined, settings: AppSettings, queued: number, reachedBefore: readonly string[]): ConnectionView {
  const status = net?.network.status.get()
  const connected = new Set(status?.relays ?? [])
  const listed = new Set(settings.relays.map(peerIdOfAddress))
  const others = (net?.connectedRelayAddresses() ?? []).filter((a) => !listed.has(peerIdOfAddress(a)))
  const relays = [...settings.relays, ...others].map((address) => ({ address, connected: connected.has(peerIdOfAddress(address) ?? '') }))
  const online = typeof navigator === 'undefined' || navigator.onLine
  const state = !online ? 'offline' : connected.size > 0 ? 'online' : settings.relays.length > 0 ? 'connecting' : 'offline'
  const reached = new Set(reachedBefore.map(peerIdOfAddress))
  const learned = (net?.network.learnedRelays() ?? [])
    .filter((r) => !listed.has(peerIdOfAddress(r.addr)))
    .map((r) => ({ address: r.addr, proven: r.proven || reached.has(peerIdOfAddress(r.addr)) }))
  return { state, relays, peers: status?.peers.length ?? 0, queued, learned }
}
