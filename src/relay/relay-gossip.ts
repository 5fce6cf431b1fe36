// Gossip into the archive: every event and change envelope the relay's gossipsub delivers
// (delivery happens only after the topic validator accepted it, src/net) is stored, in
// batches so that a burst becomes a few SQLite transactions. Also counts messages received
// and validation outcomes per topic for /metrics by wrapping the installed validators.
import type { PeerId } from '@libp2p/interface'
import type { Message } from '@libp2p/gossipsub'
import type { GossipSub } from '../net/gossip-config.ts'
import { DATA_TOPICS, TOPIC_CHANGES, TOPIC_EVENTS } from '../net/topics.ts'
import type { Archive } from './archive.ts'
import type { RelayMetrics } from './relay-metrics.ts'

const BATCH_MAX = 256
const BATCH_DELAY_MS = 25

export interface GossipIngest {
  /** wait for what is queued to be stored */
  flush(): Promise<void>
  stop(): Promise<void>
}

export function startGossipIngest(pubsub: GossipSub, archive: Archive, metrics: RelayMetrics, log: (msg: string) => void): GossipIngest {
  const queues = { events: [] as Uint8Array[], changes: [] as Uint8Array[] }
  let timer: ReturnType<typeof setTimeout> | undefined
  let running: Promise<void> = Promise.resolve()
  let stopped = false

  const drain = async (): Promise<void> => {
    const events = queues.events.splice(0)
    const changes = queues.changes.splice(0)
    // Changes first: a retraction that arrives with the event it retracts must win.
    if (changes.length > 0) count('change', await archive.ingestChanges(changes))
    if (events.length > 0) count('event', await archive.ingestEvents(events))
  }
  const count = (kind: string, results: ReadonlyArray<{ ok: boolean; code?: string; duplicate?: boolean }>) => {
    for (const r of results) metrics.ingested.inc({ kind, result: r.ok ? (r.duplicate === true ? 'duplicate' : 'stored') : (r.code ?? 'error') })
  }
  const schedule = (now: boolean) => {
    if (timer !== undefined && !now) return
    clearTimeout(timer)
    timer = setTimeout(() => {
      timer = undefined
      running = running.then(drain).catch((err: unknown) => log(`archive ingest failed: ${String(err)}`))
    }, now ? 0 : BATCH_DELAY_MS)
  }

  const onMessage = (evt: CustomEvent<Message>) => {
    if (stopped) return
    const msg = evt.detail
    const queue = msg.topic === TOPIC_EVENTS ? queues.events : msg.topic === TOPIC_CHANGES ? queues.changes : undefined
    if (queue === undefined) return
    queue.push(msg.data)
    schedule(queue.length >= BATCH_MAX)
  }
  pubsub.addEventListener('message', onMessage)
  countValidation(pubsub, metrics)

  return {
    async flush() {
      schedule(true)
      await new Promise((r) => setTimeout(r, 1))
      await running
    },
    async stop() {
      stopped = true
      pubsub.removeEventListener('message', onMessage)
      clearTimeout(timer)
      await running
      await drain().catch((err: unknown) => log(`archive ingest failed: ${String(err)}`))
    },
  }
}

type Validator = (peer: PeerId, msg: Message) => unknown

/**
 * Wrap the topic validators installed by the net layer so /metrics can show received,
 * accepted, rejected and ignored messages by topic. Validators installed later are wrapped
 * when they appear (checked on each message of an unwrapped topic).
 */
function countValidation(pubsub: GossipSub, metrics: RelayMetrics): void {
  const validators = pubsub.topicValidators as Map<string, Validator>
  const wrapped = new WeakSet<Validator>()
  const wrap = (topic: string) => {
    const inner = validators.get(topic)
    if (inner === undefined || wrapped.has(inner)) return
    const outer: Validator = async (peer, msg) => {
      metrics.gossipReceived.inc({ topic })
      const result = await inner(peer, msg)
      metrics.gossipValidated.inc({ topic, result: String(result) })
      return result
    }
    wrapped.add(outer)
    validators.set(topic, outer)
  }
  for (const topic of DATA_TOPICS) wrap(topic)
  const original = validators.set.bind(validators)
  // the net layer may (re)install validators after we start: wrap them on the way in
  validators.set = (topic: string, v: Validator) => {
    original(topic, v)
    if (!wrapped.has(v) && (DATA_TOPICS as readonly string[]).includes(topic)) wrap(topic)
    return validators
  }
}
