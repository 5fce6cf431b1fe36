// Builds protocol/vectors/retraction.json (protocol/feed-document.md §3–§4): what a store must do
// with retractions, as scenarios. Each starts from an empty store (no identity of its own, like a
// relay's) with the vectors' clock and runs its steps in order; each step names what the store
// must answer. The feed-document changes are real Automerge changes on the common genesis, made
// with fixed actors and times so that their bytes are the same on every run.
import { toHex } from '../../src/core/bytes.ts'
import { createEvent } from '../../src/core/event-create.ts'
import { signChange } from '../../src/core/feed-envelope.ts'
import type { AuthorId, EventId, SignedEvent } from '../../src/core/types.ts'
import { loadAutomerge } from '../../src/store/automerge.ts'
import { createFeedDoc, shardOfEvent, type FeedDoc } from '../../src/store/feed-doc.ts'
import { NOW, TS, testKey } from './vector-kit.ts'

type Step =
  | { op: 'ingestEvents'; eventsHex: string[]; expect: Array<string | null> }
  | { op: 'ingestChanges'; owner: AuthorId; envelopesHex: string[]; expect: Array<string | null> }
  | { op: 'getEvents'; ids: EventId[]; expect: EventId[] }
  | { op: 'missingEventIds'; ids: EventId[]; author: AuthorId; expect: EventId[] }

export async function buildRetractionVectors(): Promise<unknown[]> {
  const am = await loadAutomerge()
  const alice = testKey('alice')
  const bob = testKey('bob')
  const post = (who: typeof alice, text: string, ts: number): SignedEvent => createEvent(who.secret, { kind: 'post', ts, body: { text } }, { now: NOW })
  const e1 = post(alice, 'this one will be retracted', TS - 2_000)
  const e2 = post(alice, 'this one stays', TS - 1_000)
  const A = e1.author
  const B = post(bob, 'x', TS).author

  /** Successive signed changes of one author's document, each made with `actor` at a fixed time. */
  const changes = (who: typeof alice, actor: string, edits: Array<(d: FeedDoc) => void>): string[] => {
    let doc = createFeedDoc(am, actor)
    return edits.map((edit, i) => {
      doc = am.change(doc, { time: Math.floor(NOW / 1000) + i }, edit)
      return toHex(signChange(who.secret, am.getLastLocalChange(doc)!).bytes)
    })
  }
  const [index, retract] = changes(alice, 'a1'.repeat(16), [
    (d) => {
      d.events[shardOfEvent(e1.id)]![e1.id] = e1.ts
      d.events[shardOfEvent(e2.id)]![e2.id] = e2.ts
    },
    (d) => {
      d.retracted[shardOfEvent(e1.id)]![e1.id] = TS
    },
  ]) as [string, string]
  const [bobRetractsAlice] = changes(bob, 'b0'.repeat(16), [(d) => {
    d.retracted[shardOfEvent(e1.id)]![e1.id] = TS
  }]) as [string]
  const E1 = toHex(e1.bytes)
  const E2 = toHex(e2.bytes)

  const scenario = (description: string, steps: Step[]) => ({ type: 'scenario', description, now: NOW, steps })
  return [
    scenario('the author retracts an event the store holds: its bytes go, it is never taken again', [
      { op: 'ingestEvents', eventsHex: [E1, E2], expect: [null, null] },
      { op: 'ingestChanges', owner: A, envelopesHex: [index, retract], expect: [null, null] },
      { op: 'getEvents', ids: [e1.id, e2.id], expect: [e2.id] },
      { op: 'ingestEvents', eventsHex: [E1], expect: ['E_RETRACTED'] },
      { op: 'missingEventIds', ids: [e1.id, e2.id], author: A, expect: [] },
    ]),
    scenario('the retraction arrives before the event: the event is refused when it comes', [
      { op: 'ingestChanges', owner: A, envelopesHex: [index, retract], expect: [null, null] },
      { op: 'missingEventIds', ids: [e1.id, e2.id], author: A, expect: [e2.id] },
      { op: 'ingestEvents', eventsHex: [E1, E2], expect: ['E_RETRACTED', null] },
      { op: 'getEvents', ids: [e1.id, e2.id], expect: [e2.id] },
    ]),
    scenario("another author's document retracting the id changes nothing for the event's author", [
      { op: 'ingestChanges', owner: B, envelopesHex: [bobRetractsAlice], expect: [null] },
      { op: 'missingEventIds', ids: [e1.id], author: A, expect: [e1.id] },
      { op: 'ingestEvents', eventsHex: [E1], expect: [null] },
      { op: 'getEvents', ids: [e1.id], expect: [e1.id] },
    ]),
    scenario("a change signed by another author is refused for this author's document", [
      { op: 'ingestChanges', owner: A, envelopesHex: [bobRetractsAlice], expect: ['E_WRONG_AUTHOR'] },
    ]),
    scenario('a change whose dependency is missing is refused and nothing of it is kept; in order, both apply', [
      { op: 'ingestChanges', owner: A, envelopesHex: [retract], expect: ['E_BAD_CHANGE'] },
      { op: 'ingestEvents', eventsHex: [E1], expect: [null] },
      { op: 'ingestChanges', owner: A, envelopesHex: [index], expect: [null] },
      { op: 'ingestChanges', owner: A, envelopesHex: [retract], expect: [null] },
      { op: 'getEvents', ids: [e1.id], expect: [] },
    ]),
  ]
}
