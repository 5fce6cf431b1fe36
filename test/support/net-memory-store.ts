// An in-memory SyncSource + SyncSink for the network tests and benchmark. Its "feed document"
// is a linear chain of signed change envelopes whose opaque change payload is
// DAG-CBOR { seq, ids } (the event ids the change adds to the author's index): enough to
// exercise heads → changes → indexed events without Automerge. The real implementations over
// src/store and the relay archive implement the same interfaces; all three pass
// test/support/sync-contract.ts.
import * as dagCbor from '@ipld/dag-cbor'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'
import { createEvent, encodeDidKey, generateSecretKey, getPublicKey, signChange, verifyChangeEnvelope, verifyEvents } from '../../src/core/index.ts'
import type { AuthorId, ChangeEnvelope, EventId, SecretKey, VerifiedChangeEnvelope, VerifiedEvent } from '../../src/core/index.ts'
import type { RecentEvents, SyncSink, SyncSource } from '../../src/net/sync-source.ts'
import { refuse, refusalOf } from '../../src/store/ingest-result.ts'
import type { IngestResult } from '../../src/store/types.ts'

export interface MemoryStore extends SyncSource, SyncSink {
  events: Map<EventId, Uint8Array>
  chains: Map<AuthorId, Uint8Array[]>
  /** events in arrival order (store-and-forward) */
  log: Uint8Array[]
  /** ids that getEvents pretends not to have (a relay withholding events) */
  withhold: Set<EventId>
}

const headOf = (env: Uint8Array): string => bytesToHex(sha256(env))
const payloadOf = (env: ChangeEnvelope): { seq: number; ids: EventId[] } => dagCbor.decode(env.change)

export function createMemoryStore(): MemoryStore {
  const events = new Map<EventId, Uint8Array>()
  const chains = new Map<AuthorId, Uint8Array[]>()
  const log: Uint8Array[] = []
  const withhold = new Set<EventId>()
  const indexed = new Map<AuthorId, EventId[]>()

  /** one change: appended when it is the next of its chain; before that, its dependencies are missing */
  const applyChange = (env: ChangeEnvelope): IngestResult => {
    const chain = chains.get(env.author) ?? []
    const head = headOf(env.bytes)
    let payload: { seq: number; ids: EventId[] }
    try {
      payload = payloadOf(env)
    } catch (error) {
      return refusalOf(error)
    }
    if (payload.seq < chain.length) return { ok: true, id: head, duplicate: true }
    if (payload.seq > chain.length) return refuse('E_BAD_CHANGE', 'E_BAD_CHANGE: missing dependencies', 'missing-dependencies')
    chain.push(env.bytes)
    chains.set(env.author, chain)
    indexed.set(env.author, [...(indexed.get(env.author) ?? []), ...payload.ids])
    return { ok: true, id: head, duplicate: false }
  }

  return {
    events,
    chains,
    log,
    withhold,
    async getHeads(author) {
      const chain = chains.get(author) ?? []
      return chain.length === 0 ? [] : [headOf(chain[chain.length - 1]!)]
    },
    async getChangesSince(author, heads) {
      const chain = chains.get(author) ?? []
      const at = chain.findIndex((env) => heads.includes(headOf(env)))
      return chain.slice(at + 1)
    },
    async getEvents(ids) {
      return ids.flatMap((id) => (withhold.has(id) ? [] : [events.get(id)].filter((b): b is Uint8Array => b !== undefined)))
    },
    async getRecentEvents(after, limit): Promise<RecentEvents> {
      const start = after === undefined ? 0 : Number(after)
      const page = log.slice(start, start + limit)
      return { events: page, cursor: String(start + page.length) }
    },
    async ingestOpenedChanges(envelopes) {
      const results: IngestResult[] = []
      for (const env of envelopes) {
        try {
          results.push(applyChange(await verifyChangeEnvelope(env)))
        } catch (error) {
          results.push(refusalOf(error))
        }
      }
      return results
    },
    async ingestOpenedEvents(list) {
      // free for what core opened; a copy made by hand is checked
      const codes = await verifyEvents(list)
      return list.map((event, i): IngestResult => {
        const code = codes[i] ?? null
        if (code !== null) return refuse(code, `${code}: signature check failed`)
        if (events.has(event.id)) return { ok: true, id: event.id, duplicate: true }
        events.set(event.id, event.bytes)
        log.push(event.bytes)
        return { ok: true, id: event.id, duplicate: false }
      })
    },
    async indexedEventIds(author) {
      return [...(indexed.get(author) ?? [])]
    },
    async missingEventIds(ids) {
      return ids.filter((id) => !events.has(id))
    },
  }
}

/** An author who posts into a memory store: signed events plus a signed index change each. */
export interface TestAuthor {
  secret: SecretKey
  id: AuthorId
  /** creates posts, stores them and one change naming them; returns both */
  post(store: MemoryStore, texts: readonly string[]): Promise<{ events: VerifiedEvent[]; change: VerifiedChangeEnvelope }>
}

export function createTestAuthor(): TestAuthor {
  const secret = generateSecretKey()
  const id = encodeDidKey(getPublicKey(secret))
  return {
    secret,
    id,
    async post(store, texts) {
      const events = texts.map((text) => createEvent(secret, { kind: 'post', body: { text } }))
      const seq = store.chains.get(id)?.length ?? 0
      const change = signChange(secret, dagCbor.encode({ seq, ids: events.map((e) => e.id) }))
      await store.ingestOpenedEvents(events)
      await store.ingestOpenedChanges([change])
      return { events, change }
    },
  }
}
