// A phone's filtered subscription (protocol/subscribe.md) against real relay processes: it
// receives the authors it follows and what concerns it, live and on catch-up from its cursor,
// not strangers' posts; it moves to another relay when its relay dies.
import { afterEach, describe, expect, it } from 'vitest'
import type { AuthorId, SignedEvent } from '../../src/core/types.ts'
import type { Published } from '../../src/store/types.ts'
import type { NetworkInit } from '../../src/net/network.ts'
import { cleanupRelays, readMetric, startRelayProcess } from '../support/relay-process.ts'
import { startTestPeer, stopTestPeers, waitForRelays } from '../support/relay-peers.ts'
import type { TestPeer } from '../support/relay-peers.ts'
import { createMemoryData } from '../../src/store/memory-storage.ts'
import type { MemoryData } from '../../src/store/memory-storage.ts'
import type { SecretKey } from '../../src/core/types.ts'
import { encodeDidKey, generateSecretKey, getPublicKey } from '../../src/core/index.ts'
import { bucketAt, bucketOf } from '../../src/net/subscribe/filter.ts'

afterEach(async () => {
  await stopTestPeers()
  await cleanupRelays()
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function publish(peer: TestPeer, published: Published): Promise<SignedEvent> {
  for (const env of published.envelopes) await peer.network.publishChange(env)
  await peer.network.publishEvent(published.event!.bytes)
  return published.event!
}

/** A phone that receives by subscription: itself and whom it follows, what concerns it; cursors kept in `cursors`. */
async function startPhone(
  name: string,
  relays: string[],
  options: { follows: () => AuthorId[]; secret?: SecretKey; data?: MemoryData; cursors?: Record<string, string>; targetRelays?: number; anonymity?: number },
): Promise<TestPeer> {
  const cursors = options.cursors ?? {}
  const self: { me?: AuthorId } = {}
  const network: Partial<NetworkInit> = {
    delivery: 'filtered',
    interest: () => ({ authors: [self.me!, ...options.follows()], about: [self.me!], threads: [], community: false }),
    subscriptionCursors: {
      initial: { ...cursors },
      save: (peer, cursor) => {
        cursors[peer] = cursor
      },
    },
    ...(options.anonymity === undefined ? {} : { anonymity: options.anonymity }),
  }
  const phone = await startTestPeer({
    name,
    relays,
    follows: options.follows,
    network,
    ...(options.secret === undefined ? {} : { secret: options.secret }),
    ...(options.data === undefined ? {} : { data: options.data }),
    ...(options.targetRelays === undefined ? {} : { targetRelays: options.targetRelays }),
  })
  self.me = phone.me
  return phone
}

/** `n` secret keys whose authors fall in one bucket at `bits` */
function keysInOneBucket(n: number, bits: number): SecretKey[] {
  const first = generateSecretKey()
  const bucket = bucketAt(bucketOf(encodeDidKey(getPublicKey(first))), bits)
  const keys = [first]
  while (keys.length < n) {
    const key = generateSecretKey()
    if (bucketAt(bucketOf(encodeDidKey(getPublicKey(key))), bits) === bucket) keys.push(key)
  }
  return keys
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const t0 = Date.now()
  while (!(await check())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`)
    await sleep(100)
  }
}

/**
 * A relay, two authors on it (alice, bob), and dave's phone subscribed for alice. Exact buckets:
 * with three authors, any coarser bucket holds them all.
 */
async function daveFollowsAlice() {
  const relay = await startRelayProcess()
  const alice = await startTestPeer({ name: 'alice', relays: relay.wsAddrs() })
  const bob = await startTestPeer({ name: 'bob', relays: relay.wsAddrs() })
  const dave = await startPhone('dave', relay.wsAddrs(), { follows: () => [alice.me], anonymity: 1 })
  await Promise.all([alice, bob, dave].map((p) => waitForRelays(p, 1)))
  await until('dave subscribed', () => dave.network.subscriptionLive?.().length === 1, 10_000)
  return { relay, alice, bob, dave }
}

describe('filtered subscription', () => {
  it('live: the followed author and a stranger mentioning me arrive; a stranger’s own post does not', async () => {
    const { alice, bob, dave } = await daveFollowsAlice()
    const stranger = await bob.post('a stranger’s post')
    const mention = await publish(bob, await bob.store.post({ text: 'hello @dave', mentions: [dave.me] }))
    const followed = await alice.post('alice, followed')
    await dave.waitFor([followed.id, mention.id], 10_000)
    await sleep(500)
    expect(await dave.has(stranger.id)).toBe(false)
    // nothing of bob's feed document either: he is not followed
    expect(await dave.store.getHeads(bob.me)).toEqual([])
    expect(dave.network.subscriptionCounters!.verified).toBeGreaterThanOrEqual(2)
  })

  it('a reply and a reaction to my post reach me; a superset bucket is dropped before verification', async () => {
    const relay = await startRelayProcess()
    // seven authors make the narrowest width (1 bit); the six share a bucket up to 4 bits wide, so all their posts come
    const secrets = keysInOneBucket(6, 4)
    const others = await Promise.all(secrets.map((secret, i) => startTestPeer({ name: `p${i}`, relays: relay.wsAddrs(), secret })))
    const dave = await startPhone('dave', relay.wsAddrs(), { follows: () => [others[0]!.me], anonymity: 8 })
    await Promise.all([...others, dave].map((p) => waitForRelays(p, 1)))
    await until('dave subscribed', () => dave.network.subscriptionLive?.().length === 1, 10_000)
    const mine = await publish(dave, await dave.store.post({ text: 'my post' }))
    await until('relay archived my post', async () => ((await readMetric(relay, 'wg_archive_events')) ?? 0) >= 1, 10_000)
    const reply = await publish(others[3]!, await others[3]!.store.reply(mine.id, { text: 'a reply to dave' }))
    const reaction = await publish(others[4]!, await others[4]!.store.react(mine.id, '👍'))
    // every one of the six posts: they are in the bucket of the author dave follows
    const posts = await Promise.all(others.map((p, i) => p.post(`post ${i}`)))
    await dave.waitFor([reply.id, reaction.id, posts[0]!.id], 10_000)
    const counters = dave.network.subscriptionCounters!
    // the five strangers' posts come too (the bucket is a superset), each in its own time, and are dropped unverified
    await until('the five strangers dropped', () => counters.dropped >= 5, 10_000)
    for (const p of posts.slice(1)) expect(await dave.has(p.id)).toBe(false)
    expect(counters.verified).toBeLessThan(counters.items)
  })

  it('catch-up: a phone offline while its follow posted and a stranger mentioned it gets both from its cursor', async () => {
    const relay = await startRelayProcess()
    const alice = await startTestPeer({ name: 'alice', relays: relay.wsAddrs() })
    const bob = await startTestPeer({ name: 'bob', relays: relay.wsAddrs() })
    const cursors: Record<string, string> = {}
    const data = createMemoryData()
    const first = await startPhone('dave', relay.wsAddrs(), { follows: () => [alice.me], cursors, data, anonymity: 1 })
    const secret = first.secret
    await Promise.all([alice, bob, first].map((p) => waitForRelays(p, 1)))
    await until('dave subscribed and holds a cursor', () => Object.keys(cursors).length === 1, 10_000)
    await first.stop()
    const missed = [await alice.post('while dave was away 1'), await alice.post('while dave was away 2')]
    const mention = await publish(bob, await bob.store.post({ text: 'dave, look', mentions: [first.me] }))
    const stranger = await bob.post('not for dave')
    await until('relay archived them', async () => ((await readMetric(relay, 'wg_archive_events')) ?? 0) >= 4, 10_000)
    const back = await startPhone('dave again', relay.wsAddrs(), { follows: () => [alice.me], cursors, data, secret, anonymity: 1 })
    // the stranger's mention is in nobody's index that dave syncs: only the subscription's catch-up brings it
    await back.waitFor([...missed.map((e) => e.id), mention.id], 10_000)
    expect(await back.has(stranger.id)).toBe(false)
  })

  it('a follow: what the author stored after the cursor moved on, and before the new filter, comes by a sync', async () => {
    const relay = await startRelayProcess()
    const alice = await startTestPeer({ name: 'alice', relays: relay.wsAddrs() })
    const follows: AuthorId[] = []
    const cursors: Record<string, string> = {}
    const dave = await startPhone('dave', relay.wsAddrs(), { follows: () => follows, cursors, anonymity: 1 })
    await Promise.all([alice, dave].map((p) => waitForRelays(p, 1)))
    await until('dave subscribed and holds a cursor', () => Object.keys(cursors).length === 1, 10_000)
    const first = Object.values(cursors)[0]
    const between = await alice.post('alice, just before dave follows her')
    await until('relay archived it', async () => ((await readMetric(relay, 'wg_archive_events')) ?? 0) >= 1, 10_000)
    // the same interest asked again (the page became visible): the relay's answer moves dave's
    // cursor past alice's post, which did not match
    await dave.network.refreshInterest()
    await until('the cursor moved past it', () => Object.values(cursors)[0] !== first, 10_000)
    follows.push(alice.me)
    await dave.network.refreshInterest()
    // not in the catch-up from that cursor, and not live: the sync after the relay's answer brings it
    await dave.waitFor([between.id], 10_000)
    const live = await alice.post('alice, followed')
    await dave.waitFor([live.id], 10_000)
  })

  it('a stranger who follows me reaches me as a follower, with their document only; their posts do not', async () => {
    const relay = await startRelayProcess()
    const bob = await startTestPeer({ name: 'bob', relays: relay.wsAddrs() })
    const dave = await startPhone('dave', relay.wsAddrs(), { follows: () => [], anonymity: 1 })
    await Promise.all([bob, dave].map((p) => waitForRelays(p, 1)))
    await until('dave subscribed', () => dave.network.subscriptionLive?.().length === 1, 10_000)
    const earlier = await bob.post('bob posted before following dave')
    await until('relay archived it', async () => ((await readMetric(relay, 'wg_archive_events')) ?? 0) >= 1, 10_000)
    for (const env of (await bob.store.follow(dave.me)).envelopes) await bob.network.publishChange(env)
    await until('bob is dave’s follower', async () => (await dave.store.getFollowers(dave.me)).includes(bob.me), 15_000)
    const notes = await dave.store.notifications()
    expect(notes.items.some((n) => n.type === 'follow' && n.from === bob.me)).toBe(true)
    // his document came whole (the follow change alone lacked its dependencies), his posts did not
    expect(await dave.has(earlier.id)).toBe(false)
  })

  it('opening a thread fetches its replies from the beginning; the thread’s root author is not followed', async () => {
    const relay = await startRelayProcess()
    const bob = await startTestPeer({ name: 'bob', relays: relay.wsAddrs() })
    const carol = await startTestPeer({ name: 'carol', relays: relay.wsAddrs() })
    const dave = await startPhone('dave', relay.wsAddrs(), { follows: () => [], anonymity: 1 })
    await Promise.all([bob, carol, dave].map((p) => waitForRelays(p, 1)))
    await until('dave subscribed', () => dave.network.subscriptionLive?.().length === 1, 10_000)
    const root = await bob.post('a thread')
    await carol.store.ingestEvents([root.bytes])
    const replies = [
      await publish(carol, await carol.store.reply(root.id, { text: 'reply 1' })),
      await publish(bob, await bob.store.reply(root.id, { text: 'reply 2' })),
    ]
    const other = await carol.post('not in the thread')
    await until('relay archived them', async () => ((await readMetric(relay, 'wg_archive_events')) ?? 0) >= 4, 10_000)
    expect(await dave.has(replies[0]!.id)).toBe(false)
    expect(await dave.network.fetchThread(root.id)).toBe(2)
    for (const r of replies) expect(await dave.has(r.id)).toBe(true)
    expect(await dave.has(other.id)).toBe(false)
  })

  it('the stranger’s post a followed author quoted is fetched by id; an id nobody holds stays missing', async () => {
    const { alice, bob, dave } = await daveFollowsAlice()
    const original = await bob.post('bob’s original')
    await alice.store.ingestEvents([original.bytes])
    const quote = await publish(alice, await alice.store.post({ text: 'alice quotes bob', quote: original.id }))
    await dave.waitFor([quote.id], 10_000)
    expect(await dave.has(original.id)).toBe(false)
    // signed, never sent: no relay has it
    const absent = (await bob.store.post({ text: 'never sent' })).event!.id
    expect(await dave.network.fetchEvents([original.id, absent])).toEqual([original.id])
    expect(await dave.has(original.id)).toBe(true)
  })

  it('failover: when its relay dies the phone subscribes on the other and posts keep coming', async () => {
    const a = await startRelayProcess()
    const b = await startRelayProcess({ peers: [a.wsAddrs()[0]!] })
    await until('relays connected', async () => ((await readMetric(a, 'wg_connected_peers')) ?? 0) >= 1, 10_000)
    const alice = await startTestPeer({ name: 'alice', relays: b.wsAddrs() })
    const dave = await startPhone('dave', [...a.wsAddrs(), ...b.wsAddrs()], { follows: () => [alice.me], targetRelays: 2, anonymity: 1 })
    await Promise.all([waitForRelays(alice, 1), waitForRelays(dave, 2)])
    await until('dave subscribed', () => dave.network.subscriptionLive?.().length === 1, 10_000)
    const before = await alice.post('before')
    await dave.waitFor([before.id], 10_000)
    const primary = dave.network.subscriptionLive!()[0]!
    const aId = a.wsAddrs()[0]!.split('/p2p/')[1]!
    if (primary === aId) await a.kill9()
    else await b.kill9()
    const survivor = primary === aId ? b : a
    const author = primary === aId ? alice : await startTestPeer({ name: 'alice on a', relays: a.wsAddrs(), secret: alice.secret })
    await waitForRelays(author, 1)
    await until('dave subscribed on the other relay', () => (dave.network.subscriptionLive?.() ?? []).some((id) => id !== primary), 10_000)
    const after = await author.post('after the relay died')
    await dave.waitFor([after.id], 10_000)
    expect(survivor.exited()).toBe(false)
  })
})
