// Client side of /wildgrass/sync/1.0.0 (protocol/sync.md §Flow): heads → changes → events
// named by the signed indexes → recent events. Everything received is verified with core
// before the sink sees it, and handed over as the objects core opened (never decoded twice).
// Resumable by construction: each batch is ingested as it arrives,
// and every step asks relative to what the sink now holds, so a dropped stream loses at most
// the batch in flight and the next session continues from there.
import type { Stream } from '@libp2p/interface'
import { fail, openChangeEnvelope, openEvents } from '../../core/index.ts'
import type { AuthorId, EventId, VerifiedEvent } from '../../core/index.ts'
import type { SyncSink, SyncSource } from '../sync-source.ts'
import { frameStream } from './framed-stream.ts'
import type { FramedStream } from './framed-stream.ts'
import type { Request, Response } from './frames.ts'
import { MAX_AUTHORS_PER_REQUEST, MAX_CHANGES_PER_ANSWER, MAX_IDS_PER_REQUEST, MAX_PIPELINED_REQUESTS, MAX_RECENT_LIMIT } from './limits.ts'
import type { MissingTracker } from './missing-tracker.ts'

export interface SyncClientComponents {
  /** the local store as a source: our own heads */
  source: SyncSource
  sink: SyncSink
  missing: MissingTracker
}

export interface SyncSessionInit {
  authors: readonly AuthorId[]
  /** fetch the events the authors' indexes name (default true) */
  events?: boolean
  /** fetch store-and-forward events after this cursor; undefined = do not ask */
  recent?: { after: string | undefined; maxPages: number }
  signal?: AbortSignal
}

export interface SyncReport {
  changes: number
  events: number
  recent: number
  /** items the peer sent that failed verification (each one is the peer's fault) */
  rejected: number
  /** cursor to continue store-and-forward from next time */
  cursor: string | undefined
}

/** Runs one sync session over an outbound stream, then closes it. */
export async function runSyncSession(stream: Stream, components: SyncClientComponents, init: SyncSessionInit): Promise<SyncReport> {
  const framed = frameStream(stream)
  const report: SyncReport = { changes: 0, events: 0, recent: 0, rejected: 0, cursor: init.recent?.after }
  try {
    await syncFeeds(framed, components, init, report)
    if (init.events !== false) await syncIndexedEvents(framed, components, init, report)
    if (init.recent !== undefined) await syncRecent(framed, components, init, report)
    await framed.close()
    return report
  } catch (err) {
    framed.abort(err instanceof Error ? err : new Error(String(err)))
    throw err
  }
}

/**
 * Fetches events by id over an outbound stream, then closes it: a post named by a reply, quote or
 * repost of someone followed, whose author this device does not follow. An id is the hash of the
 * event's bytes, so whatever verifies and has an asked-for id is that event. Returns those stored.
 */
export async function runFetchEvents(stream: Stream, sink: SyncSink, ids: readonly EventId[]): Promise<EventId[]> {
  const framed = frameStream(stream)
  const wanted = new Set<string>(ids.slice(0, MAX_IDS_PER_REQUEST))
  const stored: EventId[] = []
  try {
    await framed.write({ t: 'get-events', ids: [...wanted] as EventId[] })
    for (let received = 0; ;) {
      const r = expect(await framed.readResponse(readSignal(undefined)), 'events')
      received += r.events.length
      if (received > wanted.size) fail('E_OVERSIZE', 'sync: more events than ids asked')
      const valid = (await openEvents(r.events)).flatMap((o) => (o.ok && wanted.has(o.event.id) ? [o.event] : []))
      if (valid.length > 0) await sink.ingestOpenedEvents(valid)
      stored.push(...valid.map((e) => e.id))
      if (r.done) break
    }
    await framed.close()
    return stored
  } catch (err) {
    framed.abort(err instanceof Error ? err : new Error(String(err)))
    throw err
  }
}

async function syncFeeds(framed: FramedStream, c: SyncClientComponents, init: SyncSessionInit, report: SyncReport): Promise<void> {
  const stale: Array<{ author: AuthorId; local: string[] }> = []
  for (let i = 0; i < init.authors.length; i += MAX_AUTHORS_PER_REQUEST) {
    const authors = init.authors.slice(i, i + MAX_AUTHORS_PER_REQUEST)
    await framed.write({ t: 'get-heads', authors: [...authors] }, init.signal)
    const res = expect(await framed.readResponse(readSignal(init.signal)), 'heads')
    const wanted = new Set<string>(authors)
    for (const entry of res.heads) {
      if (!wanted.has(entry.author) || entry.heads.length === 0) continue
      const local = await c.source.getHeads(entry.author)
      if (!sameSet(local, entry.heads)) stale.push({ author: entry.author, local })
    }
  }
  const requests: Request[] = stale.map((s) => ({ t: 'get-changes', author: s.author, since: s.local.slice(0, 64) }))
  const received = new Map<Request, number>()
  await pipeline(framed, requests, init.signal, async (req, res) => {
    const r = expect(res, 'changes')
    if (req.t !== 'get-changes' || r.author !== req.author) fail('E_MALFORMED', 'sync: changes for another author')
    // a server cannot keep us busy forever with one answer
    const total = (received.get(req) ?? 0) + r.envelopes.length
    if (total > MAX_CHANGES_PER_ANSWER) fail('E_OVERSIZE', `sync: more than ${MAX_CHANGES_PER_ANSWER} changes in one answer`)
    received.set(req, total)
    const opened = await Promise.allSettled(r.envelopes.map((bytes) => openChangeEnvelope(bytes, req.author)))
    const valid = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []))
    report.rejected += opened.length - valid.length
    if (valid.length > 0) await c.sink.ingestOpenedChanges(valid)
    report.changes += valid.length
    return r.done
  })
}

async function syncIndexedEvents(framed: FramedStream, c: SyncClientComponents, init: SyncSessionInit, report: SyncReport): Promise<void> {
  const authorOf = new Map<EventId, AuthorId>()
  for (const author of init.authors) {
    for (const id of await c.sink.missingEventIds(await c.sink.indexedEventIds(author), author)) authorOf.set(id, author)
  }
  const ids = [...authorOf.keys()]
  const requests: Request[] = []
  for (let i = 0; i < ids.length; i += MAX_IDS_PER_REQUEST) requests.push({ t: 'get-events', ids: ids.slice(i, i + MAX_IDS_PER_REQUEST) })
  const received = new Map<Request, number>()
  let stored: Promise<void> = Promise.resolve()
  const inFlight: Array<Promise<void>> = []
  let failure: unknown
  await pipeline(framed, requests, init.signal, async (req, res) => {
    const r = expect(res, 'events')
    // at most one event per id asked: more is a server wasting our time
    const total = (received.get(req) ?? 0) + r.events.length
    if (req.t !== 'get-events' || total > req.ids.length) fail('E_OVERSIZE', 'sync: more events than ids asked')
    received.set(req, total)
    // verify this batch on the crypto threads while the next frame is read and decoded; at
    // most VERIFY_AHEAD batches in flight, stored in arrival order
    if (inFlight.length >= VERIFY_AHEAD) await inFlight.shift()
    const opened = openEvents(r.events)
    stored = stored.then(async () => {
      const valid: VerifiedEvent[] = []
      for (const o of await opened) {
        // only what we asked for, by whom the index says: anything else is the peer's fault
        if (o.ok && authorOf.get(o.event.id) === o.event.author) valid.push(o.event)
        else report.rejected++
      }
      if (valid.length > 0) await c.sink.ingestOpenedEvents(valid)
      report.events += valid.length
    })
    inFlight.push(stored)
    return r.done
  }).catch((err: unknown) => {
    failure = err
  })
  // batches already verified are stored even when the stream broke (protocol/sync.md §Resumption)
  await stored
  if (failure !== undefined) throw failure
  // what is still missing is remembered per author and asked of the next peer
  for (const author of init.authors) c.missing.set(author, await c.sink.missingEventIds(await c.sink.indexedEventIds(author), author))
}

async function syncRecent(framed: FramedStream, c: SyncClientComponents, init: SyncSessionInit, report: SyncReport): Promise<void> {
  for (let page = 0; page < init.recent!.maxPages; page++) {
    await framed.write({ t: 'get-recent', ...(report.cursor === undefined ? {} : { after: report.cursor }), limit: MAX_RECENT_LIMIT }, init.signal)
    const r = expect(await framed.readResponse(readSignal(init.signal)), 'recent')
    const valid: VerifiedEvent[] = []
    for (const o of await openEvents(r.events)) {
      if (o.ok) valid.push(o.event)
      else report.rejected++
    }
    if (valid.length > 0) await c.sink.ingestOpenedEvents(valid)
    report.recent += valid.length
    const advanced = r.cursor !== undefined && r.cursor !== report.cursor
    if (r.cursor !== undefined) report.cursor = r.cursor
    if (!advanced || r.events.length === 0) return
  }
}

/**
 * Sends requests with up to MAX_PIPELINED_REQUESTS in flight; the server answers in order,
 * each answer one or more frames, `handle` returns true on the last frame of an answer.
 */
async function pipeline(
  framed: FramedStream,
  requests: readonly Request[],
  signal: AbortSignal | undefined,
  handle: (req: Request, res: Response) => Promise<boolean>,
): Promise<void> {
  let sent = 0
  for (let done = 0; done < requests.length; done++) {
    while (sent < requests.length && sent - done < MAX_PIPELINED_REQUESTS) await framed.write(requests[sent++]!, signal)
    while (!(await handle(requests[done]!, await framed.readResponse(readSignal(signal))))) {
      // further frames of the same answer
    }
  }
}

/** event batches being verified while later frames arrive */
const VERIFY_AHEAD = 2

/** A server that goes quiet for this long mid-answer is given up on (the session fails). */
const READ_TIMEOUT_MS = 30_000

function readSignal(signal: AbortSignal | undefined): AbortSignal {
  const timeout = AbortSignal.timeout(READ_TIMEOUT_MS)
  return signal === undefined ? timeout : AbortSignal.any([signal, timeout])
}

function expect<T extends Response['t']>(res: Response, t: T): Extract<Response, { t: T }> {
  if (res.t === 'error') fail('E_MALFORMED', `sync: peer answered error ${res.code}`)
  if (res.t !== t) fail('E_MALFORMED', `sync: expected "${t}", got "${res.t}"`)
  return res as Extract<Response, { t: T }>
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  const s = new Set(a)
  return b.every((x) => s.has(x))
}
