// Server side of /wildgrass/sync/1.0.0 (protocol/sync.md §Flow, §Server budgets): answers
// requests in order, splitting large answers into bounded frames. Relays serve their archive;
// browsers serve their store. Every request is paid for from the peer's and the node's work
// budget (budget.ts) before it is answered; an author the source holds nothing for costs no
// document. A malformed request gets one `error` frame and the stream is closed.
import type { Libp2p, PeerId, Stream } from '@libp2p/interface'
import { isWildgrassError } from '../../core/index.ts'
import type { WildgrassError } from '../../core/index.ts'
import type { SyncSource } from '../sync-source.ts'
import { answerWork, createSyncBudget, requestWork, WORK_UNITS } from './budget.ts'
import type { SyncBudget, SyncBudgetLimits } from './budget.ts'
import { frameStream } from './framed-stream.ts'
import type { FramedStream } from './framed-stream.ts'
import type { Request } from './frames.ts'
import { FRAME_PAYLOAD_BUDGET, MAX_ITEMS_PER_FRAME, MAX_PIPELINED_REQUESTS, SYNC_PROTOCOL } from './limits.ts'

export interface SyncServerOptions {
  /** a session ends after this many ms without a request (default 30 s) */
  idleTimeoutMs?: number
  /** who is asking, and what they may spend (without: unbounded, e.g. in tests of the frames) */
  budget?: { peer: string; budget: SyncBudget; counters: SyncServerCounters; cut(): void }
}

export interface SyncServerLimits {
  /** sessions served at once, all peers together; one more is refused (aborted) at once */
  maxSessions: number
  /** sessions one connection may have open at once (libp2p's maxInboundStreams) */
  maxPerConnection: number
  /** work budgets and session limits per peer (budget.ts) */
  budget: SyncBudgetLimits
  /** a peer was cut off for going past its budget (after the network hung up on it) */
  onCut?(peer: string): void
}

export interface SyncServerCounters {
  /** sessions served since start */
  served: number
  /** sessions being served now */
  active: number
  /** sessions refused: maxSessions were being served, or the peer had its own limit open */
  refused: number
  /** requests that waited for their peer's or the node's budget */
  throttled: number
  /** requests refused because the node's budget was spent (E_RATE_LIMITED) */
  busy: number
  /** peers hung up on for going past their budget */
  cut: number
}

export interface SyncServer {
  readonly counters: Readonly<SyncServerCounters>
  stop(): Promise<void>
}

/** Registers the one handler of SYNC_PROTOCOL on the node: serves `source`, bounded, counted. */
export async function startSyncServer(node: Libp2p, source: SyncSource, limits: SyncServerLimits): Promise<SyncServer> {
  const counters: SyncServerCounters = { served: 0, active: 0, refused: 0, throttled: 0, busy: 0, cut: 0 }
  const budget = createSyncBudget(limits.budget)
  // a peer's streams all see its budget run out: the peer is cut (and counted) once
  const cutting = new Set<string>()
  const cut = (peer: PeerId): void => {
    const id = peer.toString()
    if (cutting.has(id)) return
    cutting.add(id)
    counters.cut++
    limits.onCut?.(id)
    node
      .hangUp(peer)
      .catch(() => undefined)
      .finally(() => setTimeout(() => cutting.delete(id), 1_000))
  }
  await node.handle(
    SYNC_PROTOCOL,
    (stream, connection) => {
      const peer = connection.remotePeer
      const id = peer.toString()
      const verdict = counters.active >= limits.maxSessions ? 'refuse' : budget.openSession(id)
      if (verdict !== 'open') {
        counters.refused++
        stream.abort(new Error('too many sync sessions'))
        if (verdict === 'cut') cut(peer)
        return
      }
      counters.active++
      counters.served++
      // serveSyncStream settles every stream itself (an error aborts it) and never rejects
      void serveSyncStream(stream, source, { budget: { peer: id, budget, counters, cut: () => cut(peer) } }).finally(() => {
        counters.active--
        budget.closeSession(id)
      })
    },
    { maxInboundStreams: limits.maxPerConnection },
  )
  return { counters, stop: () => node.unhandle(SYNC_PROTOCOL) }
}

/**
 * Serves one inbound sync stream until the client closes it (or its budget is gone). Requests
 * are read as they come, so a client that sends more ahead of the answers than the protocol
 * allows (MAX_PIPELINED_REQUESTS) is seen at once and cut off, instead of being answered at its
 * pace while its backlog costs the node every byte it receives.
 */
export async function serveSyncStream(stream: Stream, source: SyncSource, options: SyncServerOptions = {}): Promise<void> {
  const framed = frameStream(stream)
  const paid = options.budget
  const incoming = readRequests(framed)
  try {
    for (;;) {
      const next = await incoming.next(options.idleTimeoutMs ?? 30_000)
      if (next.t === 'end') break
      if (next.t === 'idle') {
        framed.abort(new Error('sync: session idle'))
        return
      }
      if (next.t === 'error') {
        // 80 UTF-16 units are at most 240 UTF-8 bytes: within the 256 a client accepts
        await framed.write({ t: 'error', code: next.error.code, message: next.error.message.slice(0, 80) })
        break
      }
      if (next.t === 'flood') {
        if (paid === undefined) {
          await framed.write({ t: 'error', code: 'E_RATE_LIMITED', message: `more than ${MAX_PIPELINED_REQUESTS} requests ahead of the answers` })
          break
        }
        paid.cut()
        framed.abort(new Error('sync: too many requests in flight'))
        return
      }
      const request = next.request
      const plan = await planAnswer(source, request)
      if (paid !== undefined) {
        const verdict = paid.budget.admit(paid.peer, requestWork(request) + plan.work)
        if (verdict.action === 'cut') {
          paid.cut()
          framed.abort(new Error('sync budget spent'))
          return
        }
        if (verdict.action === 'busy') {
          paid.counters.busy++
          await framed.write({ t: 'error', code: 'E_RATE_LIMITED', message: 'this node is busy serving sync: try later' })
          break
        }
        if (verdict.waitMs > 0) {
          paid.counters.throttled++
          await new Promise((r) => setTimeout(r, verdict.waitMs))
        }
      }
      const bytes = await answer(framed, source, request, plan)
      incoming.answered()
      paid?.budget.charge(paid.peer, answerWork(bytes))
    }
    await framed.close()
  } catch (err) {
    framed.abort(err instanceof Error ? err : new Error(String(err)))
  }
}

type Incoming =
  | { t: 'request'; request: Request }
  | { t: 'end' }
  /** no request for the idle time (while nothing was being answered) */
  | { t: 'idle' }
  | { t: 'error'; error: WildgrassError }
  /** more requests unanswered than a client may have in flight */
  | { t: 'flood' }

/** Reads requests ahead of the answers, counting how many are unanswered. */
function readRequests(framed: FramedStream): { next(idleMs: number): Promise<Incoming>; answered(): void } {
  const queue: Request[] = []
  let unanswered = 0
  let last: Incoming | undefined
  let wake: (() => void) | undefined
  void (async () => {
    try {
      for (;;) {
        const request = await framed.readRequest()
        if (request === undefined) break
        unanswered++
        if (unanswered > MAX_PIPELINED_REQUESTS) {
          last = { t: 'flood' }
          break
        }
        queue.push(request)
        wake?.()
      }
      last ??= { t: 'end' }
    } catch (err) {
      last = isWildgrassError(err) ? { t: 'error', error: err } : { t: 'end' }
    }
    wake?.()
  })()
  return {
    async next(idleMs) {
      // a flood is acted on before the requests queued ahead of it
      if (queue.length === 0 || last?.t === 'flood') {
        if (last === undefined) {
          // a session without a request for idleMs ends (only while nothing is being answered)
          const timer = new Promise<void>((resolve) => {
            const t = setTimeout(resolve, idleMs)
            wake = () => {
              clearTimeout(t)
              resolve()
            }
          })
          await timer
          wake = undefined
        }
        if (queue.length === 0 || last?.t === 'flood') return last ?? { t: 'idle' }
      }
      return { t: 'request', request: queue.shift()! }
    },
    answered() {
      unanswered--
    },
  }
}

/**
 * What a request needs from the source, found cheaply first: a get-changes for an author the
 * source holds nothing for, or whose heads the peer already has, is answered "nothing" without
 * reading the author's document (which a store would load, or create, to compute changes).
 */
interface AnswerPlan {
  work: number
  /** get-changes: the document need not be read */
  nothing: boolean
}

async function planAnswer(source: SyncSource, request: Request): Promise<AnswerPlan> {
  if (request.t !== 'get-changes') return { work: 0, nothing: false }
  const heads = await source.getHeads(request.author)
  // the peer's heads include all of ours: it has everything we hold of this author
  if (heads.length === 0 || heads.every((h) => request.since.includes(h))) return { work: 0, nothing: true }
  return { work: WORK_UNITS.documentRead, nothing: false }
}

/** Writes the answer; returns the bytes it carried. */
async function answer(framed: FramedStream, source: SyncSource, request: Request, plan: AnswerPlan): Promise<number> {
  switch (request.t) {
    case 'get-heads': {
      const heads = await Promise.all(request.authors.map(async (author) => ({ author, heads: await source.getHeads(author) })))
      await framed.write({ t: 'heads', heads })
      return heads.reduce((n, h) => n + 66 * h.heads.length, 0)
    }
    case 'get-changes': {
      const envelopes = plan.nothing ? [] : await source.getChangesSince(request.author, request.since)
      for (const [batch, done] of batches(envelopes)) await framed.write({ t: 'changes', author: request.author, envelopes: batch, done })
      return sizeOf(envelopes)
    }
    case 'get-events': {
      const events = await source.getEvents(request.ids)
      for (const [batch, done] of batches(events)) await framed.write({ t: 'events', events: batch, done })
      return sizeOf(events)
    }
    case 'get-recent': {
      if (source.getRecentEvents === undefined) {
        await framed.write({ t: 'recent', events: [], cursor: request.after })
        return 0
      }
      const page = await source.getRecentEvents(request.after, request.limit)
      // the limit keeps a page inside one frame; a source that ignores it is cut to fit
      const [first] = batches(page.events.slice(0, request.limit))
      const events = first?.[0] ?? []
      await framed.write({ t: 'recent', events, cursor: page.cursor })
      return sizeOf(events)
    }
  }
}

const sizeOf = (items: readonly Uint8Array[]): number => items.reduce((n, b) => n + b.length, 0)

/** Splits items into frame-sized batches; always yields at least one (possibly empty) batch. */
export function* batches(items: readonly Uint8Array[]): Generator<[Uint8Array[], boolean]> {
  let batch: Uint8Array[] = []
  let size = 0
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!
    if (batch.length > 0 && (size + item.length + 8 > FRAME_PAYLOAD_BUDGET || batch.length >= MAX_ITEMS_PER_FRAME)) {
      yield [batch, false]
      batch = []
      size = 0
    }
    batch.push(item)
    size += item.length + 8
  }
  yield [batch, true]
}
