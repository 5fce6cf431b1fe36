// Feed documents in storage (protocol/feed-document.md §Storage): a document is kept as
// chunks (a full save, then one raw change per chunk) that Automerge loads concatenated;
// past COMPACT_AFTER chunks the owner of this object is asked to compact (a full save, ~100 ms
// for 50k posts) in its own turn, off the path of the change that triggered it; every signed
// envelope is kept by change hash so sync can serve it as it was received; heads are kept apart
// so getHeads needs no Automerge. A received change is read (am.decodeChange) once, here.
// Planning is separate from committing: the caller writes the ops in the same batch as the
// rest (indexes, purges), then commits — or forgets the document on failure.
import { concatBytes } from '../core/bytes.ts'
import { fail } from '../core/errors.ts'
import type { ChangeEnvelope } from '../core/feed-envelope.ts'
import type { AuthorId } from '../core/types.ts'
import type { Doc } from '@automerge/automerge/slim'
import type { AutomergeApi } from './automerge.ts'
import { createFeedDoc, computeDelta, getGenesisChange } from './feed-doc.ts'
import type { FeedDoc, FeedDocDelta } from './feed-doc.ts'
import { changeKey, docChunk, meta } from './keys.ts'
import { decodeJson, encodeJson } from './json.ts'
import type { Storage, WriteOp } from './storage.ts'

const COMPACT_AFTER = 64
/** an Automerge change hash as text: 64 lowercase hex digits (protocol/sync.md) */
const CHANGE_HASH = /^[0-9a-f]{64}$/
const CACHE_SIZE = 32
const NOT_A_CHANGE: RemoteOutcome = { status: 'refused', reason: 'invalid', message: 'not an Automerge change' }
const DOES_NOT_APPLY: RemoteOutcome = { status: 'refused', reason: 'invalid', message: 'the Automerge change does not apply' }
const MISSING_DEPENDENCIES: RemoteOutcome = { status: 'refused', reason: 'missing-dependencies', message: 'missing dependencies: send earlier changes first' }

interface Entry {
  doc: Doc<FeedDoc>
  /** next chunk sequence number; 0 = nothing stored yet */
  seq: number
}

/** What became of one remote envelope (planRemote); `hash` is the Automerge change hash. */
export type RemoteOutcome =
  | { readonly status: 'new' | 'duplicate'; readonly hash: string }
  | { readonly status: 'refused'; readonly reason: 'invalid' | 'missing-dependencies'; readonly message: string }

export interface DocPlan {
  readonly author: AuthorId
  /** the document as it is after the plan (read it, do not change it) */
  readonly doc: Doc<FeedDoc>
  readonly ops: WriteOp[]
  readonly delta: FeedDocDelta
  readonly heads: string[]
  /** the change hashes that were applied */
  readonly applied: string[]
  /** bytes the plan writes for the document (chunks and change envelopes) */
  readonly storedBytes: number
  /** whether the plan stores the document for the first time */
  readonly created: boolean
  commit(): void
}

export interface FeedDocs {
  get(author: AuthorId): Promise<Doc<FeedDoc>>
  /** like get, but reloaded first if another writer (tab) moved the stored heads */
  fresh(author: AuthorId): Promise<Doc<FeedDoc>>
  heads(author: AuthorId): Promise<string[]>
  listAuthors(): Promise<AuthorId[]>
  /**
   * applies a local edit to `author`'s document (made with this device's actor); `envelope` is
   * undefined when the edit changed nothing (e.g. unfollowing someone not followed)
   */
  planLocal(
    author: AuthorId,
    edit: (d: FeedDoc) => void,
    sign: (change: Uint8Array) => ChangeEnvelope,
  ): Promise<DocPlan & { envelope: ChangeEnvelope | undefined }>
  /**
   * Applies verified envelopes of one author. Returns, per envelope, new or duplicate (with the
   * change hash) or why it was refused: not an Automerge change, or its dependencies missing.
   */
  planRemote(author: AuthorId, envelopes: readonly ChangeEnvelope[]): Promise<{ plan: DocPlan; results: RemoteOutcome[] }>
  changesSince(author: AuthorId, heads: readonly string[]): Promise<Uint8Array[]>
  /** replaces the document's chunks by one full save (call it alone: serialised with writes) */
  compact(author: AuthorId): Promise<void>
  /** drop the cached copy (after a failed write, the stored state is the truth) */
  forget(author: AuthorId): void
}

export function createFeedDocs(components: {
  storage: Storage
  am: AutomergeApi
  actor: string
  me: AuthorId | undefined
  /** called after a commit left more than COMPACT_AFTER chunks */
  onCompactionDue?: (author: AuthorId) => void
}): FeedDocs {
  const { storage, am, actor, me } = components
  const cache = new Map<AuthorId, Promise<Entry>>()

  async function loadEntry(author: AuthorId): Promise<Entry> {
    const chunks = await storage.range('docs', { prefix: `${author}|` })
    const options = author === me ? { actor } : undefined
    if (chunks.length === 0) return { doc: createFeedDoc(am, options?.actor), seq: 0 }
    const doc = am.load<FeedDoc>(concatBytes(...chunks.map((c) => c.value)), options)
    const last = chunks.at(-1)!.key
    return { doc, seq: Number(last.slice(last.lastIndexOf('|') + 1)) + 1 }
  }

  /** The change's hash, reading its bytes once; undefined when they are not an Automerge change. */
  function changeHashOf(change: Uint8Array): string | undefined {
    try {
      return am.decodeChange(change).hash
    } catch {
      return undefined
    }
  }

  function entry(author: AuthorId): Promise<Entry> {
    let found = cache.get(author)
    if (found) {
      cache.delete(author) // LRU: move to the end
    } else {
      found = loadEntry(author)
      void found.catch(() => cache.delete(author))
    }
    cache.set(author, found)
    while (cache.size > CACHE_SIZE) {
      const oldest = [...cache.keys()].find((a) => a !== me && a !== author)
      if (oldest === undefined) break
      cache.delete(oldest)
    }
    return found
  }

  /**
   * The cached copy, reloaded if the stored heads moved without us (another tab or window on
   * the same database wrote): writers always start from what is stored.
   */
  async function current(author: AuthorId): Promise<Entry> {
    const [e, stored] = await Promise.all([entry(author), storage.get('meta', meta.heads(author))])
    const storedHeads = decodeJson<string[]>(stored) ?? [getGenesisChange(am).hash]
    const heads = am.getHeads(e.doc)
    if (storedHeads.length === heads.length && storedHeads.every((h) => heads.includes(h))) return e
    cache.delete(author)
    return entry(author)
  }

  /** persistence ops for `changes` applied to `doc` (stored state had `seq` chunks) */
  function persistOps(
    author: AuthorId,
    doc: Doc<FeedDoc>,
    seq: number,
    stored: Array<{ hash: string; change: Uint8Array; envelope: Uint8Array }>,
  ): { ops: WriteOp[]; seq: number } {
    const ops: WriteOp[] = []
    let next = seq
    if (seq === 0) {
      // nothing stored yet: chunk 0 is a full save (it holds the genesis change, never stored alone)
      ops.push({ type: 'put', table: 'docs', key: docChunk(author, 0), value: am.save(doc) })
      next = 1
    } else {
      for (const s of stored) ops.push({ type: 'put', table: 'docs', key: docChunk(author, next++), value: s.change })
    }
    for (const s of stored) ops.push({ type: 'put', table: 'changes', key: changeKey(author, s.hash), value: s.envelope })
    ops.push({ type: 'put', table: 'meta', key: meta.heads(author), value: encodeJson(am.getHeads(doc)) })
    return { ops, seq: next }
  }

  function makePlan(
    author: AuthorId,
    e: Entry,
    doc: Doc<FeedDoc>,
    before: string[],
    stored: Array<{ hash: string; change: Uint8Array; envelope: Uint8Array }>,
    dirty: boolean,
  ): DocPlan {
    const heads = am.getHeads(doc)
    const { ops, seq } = stored.length > 0 ? persistOps(author, doc, e.seq, stored) : { ops: [], seq: e.seq }
    return {
      author,
      doc,
      ops,
      heads,
      applied: stored.map((s) => s.hash),
      storedBytes: ops.reduce((n, op) => n + (op.type === 'put' && op.table !== 'meta' ? op.value.length : 0), 0),
      created: e.seq === 0 && stored.length > 0,
      delta: computeDelta(am, doc, before, heads),
      commit() {
        if (dirty)
          cache.delete(author) // Automerge holds queued changes we did not store: reload
        else cache.set(author, Promise.resolve({ doc, seq }))
        if (seq > COMPACT_AFTER) components.onCompactionDue?.(author)
      },
    }
  }

  return {
    async get(author) {
      return (await entry(author)).doc
    },
    async fresh(author) {
      return (await current(author)).doc
    },
    async heads(author) {
      return decodeJson<string[]>(await storage.get('meta', meta.heads(author))) ?? []
    },
    async listAuthors() {
      const keys = await storage.rangeKeys('meta', { prefix: meta.headsPrefix })
      return keys.map((k) => k.slice(meta.headsPrefix.length) as AuthorId)
    },
    async planLocal(author, edit, sign) {
      const e = await current(author)
      const before = am.getHeads(e.doc)
      // The old document object is spent once changed: a failed commit reloads from storage.
      cache.delete(author)
      // time 0: a change's own clock would tell when each edit (a follow, a sealed change) was made
      const doc = am.change(e.doc, { time: 0 }, edit)
      // no new head: the edit changed nothing, and getLastLocalChange would be an older change
      const hash = am.getHeads(doc).find((h) => !before.includes(h))
      if (hash === undefined) return { ...makePlan(author, e, doc, before, [], false), envelope: undefined }
      const change = am.getLastLocalChange(doc)
      if (change === undefined) fail('E_BAD_CHANGE', 'no local change was made')
      const envelope = sign(change)
      const plan = makePlan(author, e, doc, before, [{ hash, change, envelope: envelope.bytes }], false)
      return { ...plan, envelope }
    },
    async planRemote(author, envelopes) {
      const e = await current(author)
      const before = am.getHeads(e.doc)
      const results: RemoteOutcome[] = []
      const candidates: Array<{ i: number; hash: string; change: Uint8Array; envelope: Uint8Array }> = []
      const seen = new Set<string>()
      envelopes.forEach((env, i) => {
        const hash = changeHashOf(env.change)
        if (hash === undefined) results[i] = NOT_A_CHANGE
        else if (hash === getGenesisChange(am).hash || seen.has(hash) || am.inspectChange(e.doc, hash) !== null) results[i] = { status: 'duplicate', hash }
        else {
          seen.add(hash)
          results[i] = { status: 'new', hash }
          candidates.push({ i, hash, change: env.change, envelope: env.bytes })
        }
      })
      if (candidates.length === 0) return { plan: makePlan(author, e, e.doc, before, [], false), results }
      cache.delete(author)
      let doc: Doc<FeedDoc>
      try {
        ;[doc] = am.applyChanges(
          e.doc,
          candidates.map((c) => c.change),
        )
      } catch {
        // one bad change poisons the call: retry one by one on a fresh copy to keep the good ones
        doc = (await loadEntry(author)).doc
        for (const c of candidates) {
          try {
            ;[doc] = am.applyChanges(doc, [c.change])
          } catch {
            results[c.i] = DOES_NOT_APPLY
          }
        }
      }
      const stored: typeof candidates = []
      let dirty = false
      for (const c of candidates) {
        if (results[c.i]!.status !== 'new') continue
        if (am.inspectChange(doc, c.hash) === null) {
          results[c.i] = MISSING_DEPENDENCIES
          dirty = true
        } else {
          stored.push(c)
        }
      }
      return { plan: makePlan(author, e, doc, before, stored, dirty), results }
    },
    async changesSince(author, heads) {
      // asked by peers for any author: one we hold nothing for, or whose every head the peer
      // already has, is answered without loading (or creating) its document
      const stored = decodeJson<string[]>(await storage.get('meta', meta.heads(author))) ?? []
      if (stored.length === 0 || stored.every((h) => heads.includes(h))) return []
      const doc = (await entry(author)).doc
      // heads come from peers: a malformed one would make Automerge throw a RangeError
      const known = heads.filter((h) => CHANGE_HASH.test(h) && am.inspectChange(doc, h) !== null)
      const genesis = getGenesisChange(am).hash
      const hashes = am
        .getChangesMetaSince(doc, known)
        .map((m) => m.hash)
        .filter((h) => h !== genesis)
      const values = await storage.getMany(
        'changes',
        hashes.map((h) => changeKey(author, h)),
      )
      return values.filter((v): v is Uint8Array => v !== undefined)
    },
    async compact(author) {
      const e = await entry(author)
      if (e.seq <= 1) return
      const ops: WriteOp[] = []
      for (let i = 1; i < e.seq; i++) ops.push({ type: 'delete', table: 'docs', key: docChunk(author, i) })
      ops.push({ type: 'put', table: 'docs', key: docChunk(author, 0), value: am.save(e.doc) })
      await storage.write(ops)
      if (cache.has(author)) cache.set(author, Promise.resolve({ doc: e.doc, seq: 1 }))
    },
    forget(author) {
      cache.delete(author)
    },
  }
}
