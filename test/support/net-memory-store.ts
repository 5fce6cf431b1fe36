// An in-memory SyncSource + SyncSink for the network tests and benchmark. Its "feed document"
// is a linear chain of signed change envelopes whose opaque change payload is
// DAG-CBOR { seq, ids } (the event ids the change adds to the author's index): enough to
// exercise heads → changes → indexed events without Automerge. The real adapters over
// src/store and the relay archive implement the same interfaces.
import * as dagCbor from '@ipld/dag-cbor'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'
import { createEvent, decodeChangeEnvelope, decodeEvent, encodeDidKey, generateSecretKey, getPublicKey, signChange } from '../../src/core/index.ts'
import type { AuthorId, EventId, SecretKey, SignedEvent } from '../../src/core/index.ts'
import type { RecentEvents, SyncSink, SyncSource } from '../../src/net/sync-source.ts'

export interface MemoryStore extends SyncSource, SyncSink {
  events: Map<EventId, Uint8Array>
  chains: Map<AuthorId, Uint8Array[]>
  /** events in arrival order (store-and-forward) */
  log: Uint8Array[]
  /** ids that getEvents pretends not to have (a relay withholding events) */
  withhold: Set<EventId>
}

export function createMemoryStore(): MemoryStore {
  const events = new Map<EventId, Uint8Array>()
  const chains = new Map<AuthorId, Uint8Array[]>()
  const log: Uint8Array[] = []
  const withhold = new Set<EventId>()
  const headOf = (env: Uint8Array): string => bytesToHex(sha256(env))
  const idsOf = (env: Uint8Array): EventId[] => (dagCbor.decode(decodeChangeEnvelope(env).change) as { ids: EventId[] }).ids
  const put = (id: EventId, bytes: Uint8Array): void => {
    if (events.has(id)) return
    events.set(id, bytes)
    log.push(bytes)
  }
  const seqOf = (env: Uint8Array): number => (dagCbor.decode(decodeChangeEnvelope(env).change) as { seq: number }).seq
  return {
    events, chains, log, withhold,
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
    async ingestChanges(envelopes) {
      for (const env of envelopes) {
        const author = decodeChangeEnvelope(env).author
        const chain = chains.get(author) ?? []
        if (seqOf(env) === chain.length) chain.push(env) // in order only; duplicates dropped
        chains.set(author, chain)
      }
    },
    async ingestEvents(list) {
      for (const bytes of list) put(decodeEvent(bytes).id, bytes)
    },
    async ingestOpenedEvents(list) {
      for (const event of list) put(event.id, event.bytes)
    },
    async indexedEventIds(author) {
      return (chains.get(author) ?? []).flatMap(idsOf)
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
  /** creates `count` posts, stores them and one change naming them; returns both */
  post(store: MemoryStore, texts: readonly string[]): Promise<{ events: SignedEvent[]; change: Uint8Array }>
}

export function createTestAuthor(): TestAuthor {
  const secret = generateSecretKey()
  const id = encodeDidKey(getPublicKey(secret))
  return {
    secret, id,
    async post(store, texts) {
      const events = texts.map((text) => createEvent(secret, { kind: 'post', body: { text } }))
      const seq = store.chains.get(id)?.length ?? 0
      const change = signChange(secret, dagCbor.encode({ seq, ids: events.map((e) => e.id) })).bytes
      await store.ingestEvents(events.map((e) => e.bytes))
      await store.ingestChanges([change])
      return { events, change }
    },
  }
}
