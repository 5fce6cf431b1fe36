// The document cache (protocol/feed-document.md §5): feed documents of strangers (names,
// avatars, follows and signed indexes of people I neither follow nor that concern me) are kept,
// but bounded in documents and in bytes and evicted oldest arrival first, like the community
// cache of their events: keys are free, so anyone can make a thousand documents a minute. A
// document enters when it is first stored for an author outside my home set; at eviction time
// it stays, and leaves the cache, when its author is someone I follow by then, follows me, writes
// a list I subscribe to, or has an event kept here (one that concerns me, or a bookmark).
import type { AuthorId } from '../core/types.ts'
import type { DocPlan } from './feed-docs.ts'
import { decodeJson, encodeJson } from './json.ts'
import { idx, lastSegment, meta, type EventRefs } from './keys.ts'
import type { Storage, WriteOp } from './storage.ts'

export interface DocumentCacheLimits {
  readonly maxDocs: number
  /** of changes as received and chunks as stored */
  readonly maxBytes: number
}

/** A stranger's document with a profile and a few posts takes about 3 KB stored. */
export const DOCUMENT_CACHE_MAX_DOCS = 10_000
export const DOCUMENT_CACHE_MAX_BYTES = 16 * 1024 * 1024
export const DOCUMENT_CACHE_LIMITS: DocumentCacheLimits = { maxDocs: DOCUMENT_CACHE_MAX_DOCS, maxBytes: DOCUMENT_CACHE_MAX_BYTES }

export interface DocumentCacheSize {
  readonly docs: number
  readonly bytes: number
}

/** Per cached document (meta.cachedDoc): its cache entry key and the bytes it counts. */
interface Entry {
  readonly k: string
  readonly b: number
}

const EVICT_TO = 0.9
const PAGE = 128

export async function readDocumentCacheSize(storage: Storage): Promise<DocumentCacheSize> {
  const size = decodeJson<DocumentCacheSize>(await storage.get('meta', meta.documentCache))
  return { docs: size?.docs ?? 0, bytes: size?.bytes ?? 0 }
}

/**
 * What the batch's document plans add to the cache: an entry for each document stored for the
 * first time whose author `isStranger` says is one, and the bytes written for those cached already.
 */
export async function planDocumentEntries(
  storage: Storage,
  plans: readonly DocPlan[],
  isStranger: (author: AuthorId) => boolean,
  arrivedAt: number,
): Promise<{ ops: WriteOp[]; added: DocumentCacheSize }> {
  const ops: WriteOp[] = []
  const added = { docs: 0, bytes: 0 }
  const written = plans.filter((p) => p.storedBytes > 0)
  const entries = await storage.getMany(
    'meta',
    written.map((p) => meta.cachedDoc(p.author)),
  )
  written.forEach((plan, i) => {
    const old = decodeJson<Entry>(entries[i])
    if (old === undefined && !(plan.created && isStranger(plan.author))) return
    const entry: Entry = old === undefined ? { k: idx.cachedDoc(arrivedAt, plan.author), b: plan.storedBytes } : { k: old.k, b: old.b + plan.storedBytes }
    if (old === undefined) {
      ops.push({ type: 'put', table: 'idx', key: entry.k, value: new Uint8Array(0) })
      added.docs++
    }
    added.bytes += plan.storedBytes
    ops.push({ type: 'put', table: 'meta', key: meta.cachedDoc(plan.author), value: encodeJson(entry) })
  })
  return { ops, added }
}

export interface DocumentEviction {
  readonly ops: WriteOp[]
  readonly evicted: AuthorId[]
}

/** What eviction needs from the store: who stays, and how to delete a document. */
export interface EvictionRules {
  /** evict; stays (it leaves the cache and is kept); or later (kept in the cache for now) */
  verdict(author: AuthorId): Promise<'evict' | 'stays' | 'later'>
  /** writes that delete the author's document and what it wrote elsewhere (follower rows) */
  removal(author: AuthorId): Promise<WriteOp[]>
}

/** Writes that bring the cache under its limits (oldest arrival first), and its new size. */
export async function planDocumentEviction(
  storage: Storage,
  size: DocumentCacheSize,
  limits: DocumentCacheLimits,
  rules: EvictionRules,
): Promise<DocumentEviction> {
  const ops: WriteOp[] = []
  const evicted: AuthorId[] = []
  const left = { ...size }
  const over = (): boolean => left.docs > limits.maxDocs * EVICT_TO || left.bytes > limits.maxBytes * EVICT_TO
  if (left.docs > limits.maxDocs || left.bytes > limits.maxBytes) {
    let after: string | undefined
    while (over()) {
      const keys = await storage.rangeKeys('idx', { prefix: idx.cachedDocPrefix(), limit: PAGE, ...(after === undefined ? {} : { after }) })
      if (keys.length === 0) break // what is left is written to in this batch: evicted in a later one
      after = keys.at(-1)
      const authors = keys.map((key) => lastSegment(key) as AuthorId)
      const entries = await storage.getMany(
        'meta',
        authors.map((a) => meta.cachedDoc(a)),
      )
      for (let i = 0; i < keys.length && over(); i++) {
        const author = authors[i]!
        const verdict = await rules.verdict(author)
        if (verdict === 'later') continue
        left.docs--
        left.bytes -= decodeJson<Entry>(entries[i])?.b ?? 0
        ops.push({ type: 'delete', table: 'idx', key: keys[i]! }, { type: 'delete', table: 'meta', key: meta.cachedDoc(author) })
        if (verdict === 'stays') continue
        ops.push(...(await rules.removal(author)))
        evicted.push(author)
      }
    }
  }
  const final = { docs: Math.max(0, left.docs), bytes: Math.max(0, left.bytes) }
  ops.push({ type: 'put', table: 'meta', key: meta.documentCache, value: encodeJson(final) })
  return { ops, evicted }
}

/** Deletes every stored part of a feed document: chunks, change envelopes, heads. */
export async function planDocumentDeletion(storage: Storage, author: AuthorId): Promise<WriteOp[]> {
  const prefix = `${author}|`
  const [chunks, changes] = await Promise.all([storage.rangeKeys('docs', { prefix }), storage.rangeKeys('changes', { prefix })])
  return [
    ...chunks.map((key): WriteOp => ({ type: 'delete', table: 'docs', key })),
    ...changes.map((key): WriteOp => ({ type: 'delete', table: 'changes', key })),
    { type: 'delete', table: 'meta', key: meta.heads(author) },
  ]
}

/** Marks an author whose document stays out of the cache: an event of theirs is kept here. */
export function keepAuthor(author: AuthorId): WriteOp {
  return { type: 'put', table: 'meta', key: meta.keptAuthor(author), value: new Uint8Array(0) }
}

/** keepAuthor for the author of a stored event (a bookmark), if it is held. */
export async function keepAuthorOf(storage: Storage, id: string): Promise<void> {
  const refs = decodeJson<EventRefs>(await storage.get('refs', id))
  if (refs !== undefined) await storage.write([keepAuthor(refs.a)])
}
