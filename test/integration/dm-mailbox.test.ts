// Direct messages through a real relay process (protocol/direct-messages.md): two Node peers
// with real libp2p connections, the relay's real SQLite. A seals to B, B's watching stream gets
// it at once; the relay's database holds only ciphertext under a one-time key; a changed message
// is refused with E_BAD_SEAL and a repeated one with E_REPLAYED; a proof by the wrong key does
// not open B's mailbox.
import { DatabaseSync } from 'node:sqlite'
import { join } from 'node:path'
import { peerIdFromString } from '@libp2p/peer-id'
import { afterAll, beforeAll, expect, it } from 'vitest'
import {
  encodeDidKey,
  getPublicKey,
  mailboxEpochOf,
  mailboxIdOf,
  mailboxProofBytes,
  signAsMailbox,
  toHex,
  utf8Encode,
  x25519PublicOf,
  createDmIdentity,
  type SecretKey,
} from '../../src/core/index.ts'
import { depositMail, watchMailboxes } from '../../src/net/mailbox-client.ts'
import { createMailboxSession, type MailItem } from '../../src/net/mailbox-session.ts'
import { createNode, type WildgrassNode } from '../../src/net/node.ts'
import { generatePeerKey } from '../../src/net/peer-key.ts'
import { nodeX25519 } from '../../src/net/x25519-node.ts'
import { createDirectMessages, type DirectMessages } from '../../src/store/direct-messages.ts'
import { createMemoryStorage } from '../../src/store/memory-storage.ts'
import { cleanupRelays, readMetric, startRelayProcess, type RelayProcess } from '../support/relay-process.ts'

const aSecret = new Uint8Array(32).fill(41) as SecretKey
const bSecret = new Uint8Array(32).fill(42) as SecretKey
const A = encodeDidKey(getPublicKey(aSecret))
const B = encodeDidKey(getPublicKey(bSecret))
const TEXT = '只给你看：明天下午三点，老地方见。'

let relay: RelayProcess
let aNode: WildgrassNode
let bNode: WildgrassNode
let aDms: DirectMessages
let bDms: DirectMessages
const received: MailItem[] = []

async function peer(): Promise<WildgrassNode> {
  const node = await createNode({ peerKey: await generatePeerKey() }, { relays: [], privacy: 'relay-only', testing: { allowLoopback: true } })
  await node.dial((await import('@multiformats/multiaddr')).multiaddr(relay.wsAddrs()[0]!))
  return node
}

const relayId = () => peerIdFromString(relay.wsAddrs()[0]!.split('/p2p/')[1]!)
const owned = (secret: SecretKey) => (epochs: number[]) =>
  epochs.map((epoch) => ({
    box: mailboxIdOf(getPublicKey(secret), epoch),
    sign: (message: Uint8Array) => signAsMailbox(secret, epoch, message),
  }))

beforeAll(async () => {
  relay = await startRelayProcess()
  aNode = await peer()
  bNode = await peer()
  const open = { refuse: () => false }
  aDms = createDirectMessages({ storage: createMemoryStorage(), identity: await createDmIdentity(aSecret, nodeX25519), policy: open })
  bDms = createDirectMessages({ storage: createMemoryStorage(), identity: await createDmIdentity(bSecret, nodeX25519), policy: open })
})

afterAll(async () => {
  await aNode?.stop()
  await bNode?.stop()
  await cleanupRelays()
})

it("A writes to B: B's open mailbox stream receives it at once, and only B can read it", async () => {
  const session = createMailboxSession(bNode, {
    relays: () => [relayId()],
    boxes: () => owned(bSecret)(bDms.mailboxEpochs()),
    onMail: async (_relay, items) => {
      received.push(...items)
    },
  })
  session.start()
  try {
    await expect.poll(() => session.watching().length, { timeout: 10_000 }).toBe(1)
    await new Promise((r) => setTimeout(r, 300)) // the watch stream has opened its mailboxes
    const { deposits } = await aDms.send(B, TEXT)
    expect(deposits).toHaveLength(2) // to B, and to A's own devices
    const sentAt = performance.now()
    for (const d of deposits) await depositMail(aNode, relayId(), d.box, d.msg)
    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(1)
    console.log(`deposit to B's open watch: ${(performance.now() - sentAt).toFixed(0)} ms`)
    const [result] = await bDms.receive(received.map((i) => i.msg))
    expect(result).toMatchObject({ ok: true, message: { peer: A, text: TEXT, out: false } })
    // A cannot read what it sealed to B (no key for it), and B's copy is not A's
    expect(await aDms.receive([received[0]!.msg])).toMatchObject([{ ok: false, code: 'E_BAD_SEAL' }])
  } finally {
    session.stop()
  }
})

it("the relay's database holds only ciphertext whose outer key is neither A's nor B's", async () => {
  const db = new DatabaseSync(join(relay.dataDir, 'archive.db'), { readOnly: true })
  try {
    const rows = db.prepare('SELECT box, msg, expires FROM mailbox').all() as Array<{ box: Uint8Array; msg: Uint8Array; expires: number }>
    expect(rows).toHaveLength(2)
    const needle = toHex(utf8Encode('老地方'))
    const keys = [aSecret, bSecret].flatMap((s) => [toHex(getPublicKey(s)), toHex(x25519PublicOf(getPublicKey(s)))])
    for (const row of rows) {
      const msg = toHex(new Uint8Array(row.msg))
      expect(msg).not.toContain(needle)
      for (const k of keys) expect(msg).not.toContain(k) // neither the outer key nor anywhere inside
      // mailbox ids are the keys blinded for this week, not the keys
      expect(keys).not.toContain(toHex(new Uint8Array(row.box)))
    }
    const epoch = mailboxEpochOf(Date.now())
    const expected = [aSecret, bSecret].map((s) => toHex(mailboxIdOf(getPublicKey(s), epoch)))
    expect(rows.map((r) => toHex(new Uint8Array(r.box))).sort()).toEqual(expected.sort())
    expect(await readMetric(relay, 'wg_mailbox_messages')).toBe(2)
  } finally {
    db.close()
  }
})

it('a changed message is refused with E_BAD_SEAL, the same one again with E_REPLAYED', async () => {
  const original = received[0]!.msg
  const tampered = original.slice()
  tampered[tampered.length - 20]! ^= 0x01
  const box = mailboxIdOf(getPublicKey(bSecret), mailboxEpochOf(Date.now()))
  await depositMail(aNode, relayId(), box, tampered)
  const items: MailItem[] = []
  const stop = new AbortController()
  const after = new Map([[toHex(box), received[0]!.seq]])
  const watching = watchMailboxes(bNode, relayId(), {
    boxes: () => owned(bSecret)([mailboxEpochOf(Date.now())]),
    proofBytes: mailboxProofBytes,
    cursors: after,
    signal: stop.signal,
    waitMs: 2000,
    onMail: async (got) => {
      items.push(...got)
      stop.abort()
    },
  }).catch(() => undefined)
  await expect.poll(() => items.length, { timeout: 10_000 }).toBe(1)
  await watching
  expect(await bDms.receive([items[0]!.msg])).toMatchObject([{ ok: false, code: 'E_BAD_SEAL' }])
  // a relay (or a second relay) handing out the same message again
  expect(await bDms.receive([original])).toMatchObject([{ ok: false, code: 'E_REPLAYED' }])
  expect(await bDms.messages(A)).toHaveLength(1)
})

it("a proof made with another key does not open B's mailbox", async () => {
  const box = mailboxIdOf(getPublicKey(bSecret), mailboxEpochOf(Date.now()))
  const forged = { box, sign: (m: Uint8Array) => signAsMailbox(aSecret, mailboxEpochOf(Date.now()), m) }
  const error = await watchMailboxes(aNode, relayId(), {
    boxes: () => [forged],
    proofBytes: mailboxProofBytes,
    cursors: new Map(),
    signal: AbortSignal.timeout(10_000),
    onMail: async () => undefined,
  }).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect((error as { code?: string }).code).toBe('E_BAD_SIGNATURE')
})
