// An author with 50,000 posts: their feed document built the way it grows (one change per
// post, each adding an id to its shard), stored as the store stores it, then loaded back;
// then the cost of one more signed local change, and the saved size.
import { toHex } from '../../src/core/bytes.ts'
import { encodeDidKey } from '../../src/core/did-key.ts'
import { signChange } from '../../src/core/feed-envelope.ts'
import { getPublicKey } from '../../src/core/keys.ts'
import type { EventId, SecretKey } from '../../src/core/types.ts'
import { loadAutomerge } from '../../src/store/automerge.ts'
import { createFeedDoc, shardOfEvent } from '../../src/store/feed-doc.ts'
import { createFeedDocs } from '../../src/store/feed-docs.ts'
import { docChunk, meta } from '../../src/store/keys.ts'
import { encodeJson } from '../../src/store/json.ts'
import { createMemoryStorage } from '../../src/store/memory-storage.ts'
import { percentile } from '../lib/results.ts'

const POSTS = 50_000

const randomId = () => toHex(crypto.getRandomValues(new Uint8Array(32))) as EventId

export async function measureFeedDoc50k(): Promise<Record<string, number>> {
  const am = await loadAutomerge()
  const secret = new Uint8Array(32).fill(9) as SecretKey
  const me = encodeDidKey(getPublicKey(secret))
  const actor = toHex(crypto.getRandomValues(new Uint8Array(16)))
  const t0 = performance.now()
  let doc = createFeedDoc(am, actor)
  const ts = Date.UTC(2025, 0, 1)
  for (let i = 0; i < POSTS; i++) {
    const id = randomId()
    doc = am.change(doc, (d) => {
      d.events[shardOfEvent(id)]![id] = ts + i * 60_000
    })
  }
  console.log(`built a feed document with ${POSTS} posts in ${Math.round(performance.now() - t0)} ms`)
  const saved = am.save(doc)
  const storage = createMemoryStorage()
  await storage.write([
    { type: 'put', table: 'docs', key: docChunk(me, 0), value: saved },
    { type: 'put', table: 'meta', key: meta.heads(me), value: encodeJson(am.getHeads(doc)) },
  ])
  am.free(doc)

  const loads: number[] = []
  const due: string[] = []
  const open = () => createFeedDocs({ storage, am, actor, me, onCompactionDue: (a) => due.push(a) })
  let docs = open()
  for (let i = 0; i < 5; i++) {
    docs = open()
    const t = performance.now()
    await docs.get(me)
    loads.push(performance.now() - t)
  }
  // one new change, as the store makes it: Automerge change, getLastLocalChange, sign, write
  // (the store compacts in a separate turn when due: measured apart)
  const changes: number[] = []
  const compactions: number[] = []
  for (let i = 0; i < 200; i++) {
    const id = randomId()
    const t = performance.now()
    const plan = await docs.planLocal(
      me,
      (d) => {
        d.events[shardOfEvent(id)]![id] = Date.now()
      },
      (change) => signChange(secret, change),
    )
    await storage.write(plan.ops)
    plan.commit()
    changes.push(performance.now() - t)
    if (due.length > 0) {
      due.length = 0
      const c = performance.now()
      await docs.compact(me)
      compactions.push(performance.now() - c)
    }
  }
  return {
    'store.feed_doc_50k.load_ms': percentile(loads, 50),
    'store.feed_doc_50k.change_ms': percentile(changes, 50),
    'store.feed_doc_50k.change_p99_ms': percentile(changes, 99),
    'store.feed_doc_50k.compact_ms': percentile(compactions, 50),
    'store.feed_doc_50k.bytes': saved.length,
  }
}
