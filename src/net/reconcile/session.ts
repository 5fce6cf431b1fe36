// The two sides of /wildgrass/reconcile/1.0.0 (protocol/reconcile.md §Flow). The initiator
// reconciles its set with the responder's (Negentropy rounds), fetches what it lacks by item id,
// then pushes what the responder lacks: one session reconciles both ways. Every event and change
// either side receives is opened by core (decoded, limits, signature) before its sink sees it;
// the initiator takes only what it asked for, the responder at most MAX_PUSH_ITEMS a session
// (it cannot know which ids the initiator found missing on its side, so it counts and verifies).
import { lpStream } from '@libp2p/utils'
import type { Stream } from '@libp2p/interface'
import { sha256 } from '@noble/hashes/sha2.js'
import { fail, fromHex, isWildgrassError, openChangeEnvelope, openEvents, toHex } from '../../core/index.ts'
import type { SignatureVerifier, VerifiedChangeEnvelope, VerifiedEvent } from '../../core/index.ts'
import type { SyncSink } from '../sync-source.ts'
import {
  decodeReconcileFrame,
  encodeReconcileFrame,
  ITEMS_PAYLOAD_BUDGET,
  MAX_GET_IDS,
  MAX_ITEMS_PER_RECONCILE_FRAME,
  MAX_NEG_MESSAGE_BYTES,
  MAX_NEG_ROUNDS,
  MAX_PUSH_ITEMS,
  MAX_RECONCILE_FRAME_BYTES,
  MAX_SESSION_MS,
} from './frames.ts'
import type { ReconcileFrame } from './frames.ts'
import { decodeMessage, encodeMessage, initiate, reconcile } from './negentropy.ts'
import type { ReconcileSet } from './negentropy.ts'
import type { SetSnapshot } from './set-snapshot.ts'

/** What a node reconciles (a relay's archive: src/relay/reconcile-set.ts). */
export interface ReconcileSource {
  /**
   * The set: one item per event held (ts = the event's ts, id = the event id) and per change
   * envelope held (ts = 0, id = SHA-256 of the envelope bytes). May be a little stale.
   */
  snapshot(): Promise<ReconcileSet>
  /** The items it holds among `ids`: event wire bytes, and change envelopes dependencies first. */
  getItems(ids: readonly Uint8Array[]): Promise<{ events: Uint8Array[]; changes: Uint8Array[] }>
}

export interface ReconcileReport {
  rounds: number
  /** items the responder holds that we lacked (asked for), and that we hold and it lacked */
  need: number
  have: number
  events: number
  changes: number
  /** items that failed to open or were not asked for: the responder's fault */
  rejected: number
  /** items sent to the responder in `push` frames (of `have`, those our source still held) */
  pushed: number
  bytesSent: number
  bytesReceived: number
  /** of those, the bytes of `items` and `push` frames: the objects moved, not the search */
  itemFrameBytes: number
}

/** What a responder took in one session. */
export interface ServeReport {
  rounds: number
  /** pushed items that opened and were handed to the sink */
  events: number
  changes: number
  /** pushed items its snapshot already held: ignored before verifying where the id allows */
  held: number
  /** pushed items that failed to open: the initiator's fault */
  rejected: number
  /** the code of the error it sent before closing, if any */
  refused?: string
}

export interface ServeOptions {
  /** where pushed items go; without one, a `push` is refused (E_MALFORMED) */
  sink?: SyncSink
  verifier?: SignatureVerifier
  /** items taken in one session (default MAX_PUSH_ITEMS; lower in tests) */
  maxPushItems?: number
  /** the session's whole time (default MAX_SESSION_MS; lower in tests) */
  maxSessionMs?: number
}

const READ_TIMEOUT_MS = 30_000
/** a side's Negentropy output per message: under the frame's limit */
const OUTPUT_BUDGET = MAX_NEG_MESSAGE_BYTES - 4096

function framed(stream: Stream, sessionMs = MAX_SESSION_MS) {
  const deadline = Date.now() + sessionMs
  const overtime = (cause?: unknown): never => fail('E_RATE_LIMITED', 'reconcile: the session ran out of time', cause)
  const lp = lpStream(stream, { maxDataLength: MAX_RECONCILE_FRAME_BYTES, maxBufferSize: 4 * MAX_RECONCILE_FRAME_BYTES })
  const counts = { sent: 0, received: 0, items: 0 }
  return {
    counts,
    async write(frame: ReconcileFrame): Promise<void> {
      const bytes = encodeReconcileFrame(frame)
      counts.sent += bytes.length + varintLength(bytes.length)
      if (frame.t === 'items' || frame.t === 'push') counts.items += bytes.length + varintLength(bytes.length)
      await lp.write(bytes)
    },
    async read(): Promise<ReconcileFrame | undefined> {
      const left = deadline - Date.now()
      if (left <= 0) overtime()
      let bytes: Uint8Array
      try {
        bytes = (await lp.read({ signal: AbortSignal.timeout(Math.min(READ_TIMEOUT_MS, left)) })).subarray()
      } catch (err) {
        if (err instanceof Error && /EOF/i.test(err.name + err.message)) return undefined
        if (err instanceof Error && /length/i.test(err.name)) fail('E_OVERSIZE', 'reconcile frame over the limit', err)
        if (Date.now() >= deadline) overtime(err)
        throw err
      }
      counts.received += bytes.length + varintLength(bytes.length)
      const frame = decodeReconcileFrame(bytes)
      if (frame.t === 'items' || frame.t === 'push') counts.items += bytes.length + varintLength(bytes.length)
      return frame
    },
  }
}

/**
 * Runs one reconciliation as the initiator over an outbound stream, then closes it. `push: false`
 * leaves `have` to the responder's own session (the one-way sessions of before; bench only).
 */
export async function runReconcile(
  stream: Stream,
  source: ReconcileSource,
  sink: SyncSink,
  options: { verifier?: SignatureVerifier; push?: boolean } = {},
): Promise<ReconcileReport> {
  const io = framed(stream)
  const report: ReconcileReport = {
    rounds: 0,
    need: 0,
    have: 0,
    events: 0,
    changes: 0,
    rejected: 0,
    pushed: 0,
    bytesSent: 0,
    bytesReceived: 0,
    itemFrameBytes: 0,
  }
  try {
    const set = await source.snapshot()
    const need: Uint8Array[] = []
    const have: Uint8Array[] = []
    await io.write({ t: 'neg', msg: encodeMessage(initiate(set)) })
    for (;;) {
      report.rounds++
      const answer = expectFrame(await io.read(), 'neg')
      const outcome = reconcile(set, decodeMessage(answer.msg, MAX_NEG_MESSAGE_BYTES), { initiator: true, maxOutputBytes: OUTPUT_BUDGET })
      need.push(...outcome.need)
      report.have += outcome.have.length
      // the responder takes at most MAX_PUSH_ITEMS: more would end the session
      for (const id of outcome.have) if (have.length < MAX_PUSH_ITEMS) have.push(id)
      if (outcome.ranges.length === 0) break
      // out of rounds: fetch what was found; the next session goes on from the set that makes
      // (a relay joining an archive of a million items needs two; failing here would fetch nothing ever)
      if (report.rounds >= MAX_NEG_ROUNDS) break
      await io.write({ t: 'neg', msg: encodeMessage(outcome.ranges) })
    }
    report.need = need.length
    for (let i = 0; i < need.length; i += MAX_GET_IDS) await fetchItems(io, need.slice(i, i + MAX_GET_IDS), sink, report, options.verifier)
    if (options.push !== false) await pushItems(io, have, source, report)
    await stream.close()
  } catch (err) {
    stream.abort(err instanceof Error ? err : new Error(String(err)))
    throw err
  } finally {
    report.bytesSent = io.counts.sent
    report.bytesReceived = io.counts.received
    report.itemFrameBytes = io.counts.items
  }
  return report
}

/** Sends the responder what it lacks, read from our source a `get`'s worth of ids at a time. */
async function pushItems(io: ReturnType<typeof framed>, have: Uint8Array[], source: ReconcileSource, report: ReconcileReport): Promise<void> {
  for (let i = 0; i < have.length; i += MAX_GET_IDS) {
    const items = await source.getItems(have.slice(i, i + MAX_GET_IDS))
    for (const batch of itemBatches(items)) {
      const count = batch.events.length + batch.changes.length
      // an empty push is refused: only the items go, never the `done` of an answer
      if (count === 0) continue
      await io.write({ t: 'push', events: batch.events, changes: batch.changes })
      report.pushed += count
    }
  }
}

async function fetchItems(
  io: ReturnType<typeof framed>,
  ids: Uint8Array[],
  sink: SyncSink,
  report: ReconcileReport,
  verifier?: SignatureVerifier,
): Promise<void> {
  const wanted = new Set(ids.map(toHex))
  await io.write({ t: 'get', ids })
  let received = 0
  for (;;) {
    const frame = expectFrame(await io.read(), 'items')
    const count = frame.events.length + frame.changes.length
    received += count
    // at most one item per id asked: more is a responder wasting our time
    if (received > ids.length) fail('E_OVERSIZE', 'reconcile: more items than ids asked')
    // only the last frame may be empty: empty frames would keep this loop going for ever
    if (count === 0 && !frame.done) fail('E_MALFORMED', 'reconcile: an empty items frame that is not the last')
    const events: VerifiedEvent[] = []
    for (const o of await openEvents(frame.events)) {
      if (o.ok && wanted.delete(o.event.id)) events.push(o.event)
      else report.rejected++
    }
    const changes: VerifiedChangeEnvelope[] = []
    for (const bytes of frame.changes) {
      const id = toHex(sha256(bytes))
      const opened = wanted.has(id) ? await openChangeEnvelope(bytes, undefined, verifier === undefined ? {} : { verifier }).catch(() => undefined) : undefined
      if (opened === undefined) report.rejected++
      else {
        wanted.delete(id)
        changes.push(opened)
      }
    }
    // changes first: a retraction that comes with the event it retracts wins
    if (changes.length > 0) await sink.ingestOpenedChanges(changes)
    if (events.length > 0) await sink.ingestOpenedEvents(events)
    report.changes += changes.length
    report.events += events.length
    if (frame.done) return
  }
}

/** Serves one inbound reconciliation stream until the initiator closes it, taking what it pushes. */
export async function serveReconcile(stream: Stream, source: ReconcileSource, options: ServeOptions = {}): Promise<ServeReport> {
  const io = framed(stream, options.maxSessionMs)
  const report: ServeReport = { rounds: 0, events: 0, changes: 0, held: 0, rejected: 0 }
  const refuse = async (code: string, message: string): Promise<void> => {
    report.refused = code
    // 80 UTF-16 units are at most 240 UTF-8 bytes: within the 256 the other side accepts
    await io.write({ t: 'error', code, message: message.slice(0, 80) })
  }
  try {
    let set: ReconcileSet | undefined
    let pushed = 0
    for (;;) {
      let frame: ReconcileFrame | undefined
      try {
        frame = await io.read()
      } catch (err) {
        if (isWildgrassError(err)) await refuse(err.code, err.message)
        break
      }
      if (frame === undefined) break
      if (frame.t === 'neg') {
        if (++report.rounds > MAX_NEG_ROUNDS) fail('E_OVERSIZE', 'reconcile: too many rounds')
        set ??= await source.snapshot()
        let ranges
        try {
          ranges = reconcile(set, decodeMessage(frame.msg, MAX_NEG_MESSAGE_BYTES), { initiator: false, maxOutputBytes: OUTPUT_BUDGET }).ranges
        } catch (err) {
          if (!isWildgrassError(err)) throw err
          await refuse(err.code, err.message)
          break
        }
        await io.write({ t: 'neg', msg: encodeMessage(ranges) })
      } else if (frame.t === 'get') {
        const items = await source.getItems(frame.ids)
        for (const batch of itemBatches(items)) await io.write({ t: 'items', ...batch })
      } else if (frame.t === 'push') {
        const count = frame.events.length + frame.changes.length
        // a push follows a reconciliation (the initiator's `have`); empty ones would cost us for nothing
        if (set === undefined || options.sink === undefined || count === 0) {
          await refuse('E_MALFORMED', set === undefined ? 'push before any neg' : count === 0 ? 'empty push' : 'push not taken')
          break
        }
        // the whole frame is refused, what came before stays stored
        const maxPush = options.maxPushItems ?? MAX_PUSH_ITEMS
        if ((pushed += count) > maxPush) {
          await refuse('E_OVERSIZE', `more than ${maxPush} items pushed`)
          break
        }
        await takePushed(frame, set, options.sink, report, options.verifier)
      } else {
        await refuse('E_MALFORMED', `unexpected ${frame.t}`)
        break
      }
    }
    await stream.close()
  } catch (err) {
    stream.abort(err instanceof Error ? err : new Error(String(err)))
  }
  return report
}

/**
 * Pushed items, verified as any input: a change that hashes to an id of our snapshot, or an
 * event whose id it holds, is ignored (held); the rest must open, or it is counted rejected.
 */
async function takePushed(
  frame: { events: Uint8Array[]; changes: Uint8Array[] },
  set: ReconcileSet,
  sink: SyncSink,
  report: ServeReport,
  verifier?: SignatureVerifier,
): Promise<void> {
  const has = (set as Partial<SetSnapshot>).has?.bind(set) ?? (() => false)
  const changes: VerifiedChangeEnvelope[] = []
  for (const bytes of frame.changes) {
    if (has(0, sha256(bytes))) {
      report.held++
      continue
    }
    const opened = await openChangeEnvelope(bytes, undefined, verifier === undefined ? {} : { verifier }).catch(() => undefined)
    if (opened === undefined) report.rejected++
    else changes.push(opened)
  }
  const events: VerifiedEvent[] = []
  for (const o of await openEvents(frame.events)) {
    if (!o.ok) report.rejected++
    else if (has(o.event.ts, fromHex(o.event.id))) report.held++
    else events.push(o.event)
  }
  // changes first, as the initiator does with what it fetches
  if (changes.length > 0) await sink.ingestOpenedChanges(changes)
  if (events.length > 0) await sink.ingestOpenedEvents(events)
  report.changes += changes.length
  report.events += events.length
}

/** Frame-sized batches, changes before events; always at least one (the last has done: true). */
function* itemBatches(items: { events: Uint8Array[]; changes: Uint8Array[] }): Generator<{ events: Uint8Array[]; changes: Uint8Array[]; done: boolean }> {
  const all = [...items.changes.map((b) => ['c', b] as const), ...items.events.map((b) => ['e', b] as const)]
  let batch = { events: [] as Uint8Array[], changes: [] as Uint8Array[] }
  let size = 0
  for (const [kind, bytes] of all) {
    const count = batch.events.length + batch.changes.length
    if (count > 0 && (size + bytes.length + 8 > ITEMS_PAYLOAD_BUDGET || count >= MAX_ITEMS_PER_RECONCILE_FRAME)) {
      yield { ...batch, done: false }
      batch = { events: [], changes: [] }
      size = 0
    }
    if (kind === 'c') batch.changes.push(bytes)
    else batch.events.push(bytes)
    size += bytes.length + 8
  }
  yield { ...batch, done: true }
}

function expectFrame<T extends ReconcileFrame['t']>(frame: ReconcileFrame | undefined, t: T): Extract<ReconcileFrame, { t: T }> {
  if (frame === undefined) fail('E_TRUNCATED', 'reconcile: stream closed early')
  if (frame.t === 'error') fail('E_MALFORMED', `reconcile: peer answered error ${frame.code}`)
  if (frame.t !== t) fail('E_MALFORMED', `reconcile: expected "${t}", got "${frame.t}"`)
  return frame as Extract<ReconcileFrame, { t: T }>
}

function varintLength(n: number): number {
  let len = 1
  while (n >= 128) {
    n = Math.floor(n / 128)
    len++
  }
  return len
}
