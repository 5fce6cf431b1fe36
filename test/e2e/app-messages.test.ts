// Direct messages through the real UI (protocol/direct-messages.md): A writes to B; B reads it,
// and reads it again on a second device restored from the phrase (read state follows); the
// relay's database and a third person's browser hold no plaintext, and the one-time key of every
// sealed message is not A's; a stranger's message lands in B's requests; a changed copy and a
// replay through a second relay are dropped by B's app with E_BAD_SEAL and E_REPLAYED.
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { beforeAll, expect, it } from 'vitest'
import {
  createDmIdentity,
  decodeDidKey,
  encodeDidKey,
  MAILBOX_EPOCH_MS,
  mailboxEpochOf,
  mailboxIdOf,
  phraseToSecretKey,
  toHex,
  utf8Encode,
  x25519PublicOf,
  type AuthorId,
} from '../../src/core/index.ts'
import { depositMail } from '../../src/net/mailbox-client.ts'
import { createNode } from '../../src/net/node.ts'
import { generatePeerKey } from '../../src/net/peer-key.ts'
import { authorIdOf, createPerson, go, inviteAndJoin, onboard, restoreDevice, screenshot, useAppWorld, waitOnline, type Person } from '../support/app-e2e.ts'
import { startRelayProcess } from '../support/relay-process.ts'

const world = useAppWorld()
let a: Person
let b: Person
let bWords: string[] = []
let aId: AuthorId
let bId: AuthorId
const SECRET_TEXT = '只有你能看到：周六下午三点，老地方见 🌱'
const STRANGER_TEXT = 'Hello, we have not met — 你好'

async function openConversation(p: Person, peer: AuthorId): Promise<void> {
  await go(p, `#/conversation/${encodeURIComponent(peer)}`)
  await p.page.locator(`section.conversation[data-peer="${peer}"]`).waitFor()
}

async function send(p: Person, text: string): Promise<void> {
  await p.page.locator('#dm-text').fill(text)
  await p.page.getByRole('button', { name: p.t('dm.send'), exact: true }).click()
  await p.page.waitForFunction(() => (document.getElementById('dm-text') as HTMLTextAreaElement | null)?.value === '')
}

/** every IndexedDB value of the page, as text (keys and values), to search for plaintext */
async function dumpIndexedDb(p: Person): Promise<string> {
  return p.page.evaluate(async () => {
    const out: string[] = []
    for (const info of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open(info.name!)
        r.onsuccess = () => resolve(r.result)
        r.onerror = () => reject(r.error)
      })
      for (const name of Array.from(db.objectStoreNames)) {
        const all = await new Promise<unknown[]>((resolve) => {
          const r = db.transaction(name).objectStore(name).getAll()
          r.onsuccess = () => resolve(r.result)
        })
        const keys = await new Promise<IDBValidKey[]>((resolve) => {
          const r = db.transaction(name).objectStore(name).getAllKeys()
          r.onsuccess = () => resolve(r.result)
        })
        out.push(JSON.stringify(keys))
        for (const v of all) out.push(v instanceof Uint8Array ? new TextDecoder().decode(v) : JSON.stringify(v))
      }
      db.close()
    }
    return out.join('\n')
  })
}

beforeAll(async () => {
  a = await createPerson(world.browser, 'zh-Hans')
  b = await createPerson(world.browser, 'en')
  await a.page.goto(world.relay.ready.http)
  await onboard(a, '阿兰')
  // B joins through A's invite (and follows A); B's phrase is kept for the second device
  bWords = await inviteAndJoin(world, a, b, 'Bea')
  aId = await authorIdOf(a)
  bId = await authorIdOf(b)
})

it("A writes to B from B's profile; B's open conversation shows it within seconds", async () => {
  await go(b, '#/messages')
  await b.page.getByRole('heading', { name: b.t('dm.title') }).waitFor()
  await go(a, `#/profile/${encodeURIComponent(bId)}`)
  await a.page.getByRole('button', { name: a.t('dm.message'), exact: true }).click()
  await a.page.locator(`section.conversation[data-peer="${bId}"]`).waitFor()
  await openConversation(b, aId)
  const started = Date.now()
  await send(a, SECRET_TEXT)
  await b.page.locator('.dm-in .dm-text', { hasText: SECRET_TEXT }).waitFor({ timeout: 10_000 })
  console.log(`B's open conversation showed A's message ${Date.now() - started} ms after A pressed Send`)
  // A's own copy left the outbox: no longer "not sent yet"
  await a.page.locator('.dm-out:not(.dm-pending) .dm-text', { hasText: SECRET_TEXT }).waitFor({ timeout: 10_000 })
  await screenshot(a, 'conversation')
  await screenshot(b, 'conversation')
  // B follows A (the invite): the conversation is not a request
  await go(b, '#/messages')
  await b.page.locator(`li.conversation-item[data-peer="${aId}"]`).waitFor()
  await screenshot(b, 'messages')
})

it("B's second device, restored from the phrase, reads the same conversation, already read", async () => {
  const b2 = await restoreDevice(world, 'zh-Hant', bWords)
  await go(b2, '#/messages')
  const item = b2.page.locator(`li.conversation-item[data-peer="${aId}"]`)
  await item.waitFor({ timeout: 20_000 })
  // B read it on the first device: the sealed read marker came with B's feed document
  await b2.page.locator(`li.conversation-item.unread[data-peer="${aId}"]`).waitFor({ state: 'detached', timeout: 20_000 })
  await openConversation(b2, aId)
  await b2.page.locator('.dm-in .dm-text', { hasText: SECRET_TEXT }).waitFor({ timeout: 10_000 })
  await b2.context.close()
})

it("the relay's database and a third person's browser hold no plaintext; no sealed message carries A's key", async () => {
  const c = await createPerson(world.browser, 'en')
  await c.page.goto(world.relay.ready.http)
  await onboard(c, 'Cleo')
  await waitOnline(c)
  // C follows A and B, so C holds their feed documents
  for (const who of [aId, bId]) {
    await go(c, `#/profile/${encodeURIComponent(who)}`)
    await c.page.getByRole('button', { name: c.t('profile.follow'), exact: true }).click()
    await c.page.getByRole('button', { name: c.t('profile.unfollow'), exact: true }).waitFor()
  }
  await new Promise((r) => setTimeout(r, 2000))
  expect(await dumpIndexedDb(c)).not.toContain('老地方见')

  const db = new DatabaseSync(join(world.relay.dataDir, 'archive.db'), { readOnly: true })
  try {
    const rows = db.prepare('SELECT msg FROM mailbox').all() as Array<{ msg: Uint8Array }>
    expect(rows.length).toBeGreaterThanOrEqual(2) // to B, and to A's own devices
    const aKey = decodeDidKey(aId)
    const forbidden = [toHex(aKey), toHex(x25519PublicOf(aKey)), toHex(utf8Encode('老地方见'))]
    for (const { msg } of rows) {
      const hex = toHex(new Uint8Array(msg))
      // the outer (one-time) key is bytes 1..33; nothing of A's key or the text appears anywhere
      expect(forbidden).not.toContain(hex.slice(2, 66))
      for (const f of forbidden) expect(hex).not.toContain(f)
    }
    const archive = db.prepare('SELECT v FROM s_events').all() as Array<{ v: Uint8Array }>
    for (const { v } of archive) expect(new TextDecoder().decode(new Uint8Array(v))).not.toContain('老地方见')
  } finally {
    db.close()
  }

  // a stranger's message lands in B's requests
  const cId = await authorIdOf(c)
  await openConversation(c, bId)
  await send(c, STRANGER_TEXT)
  // a relay took it (C's own copy is no longer "not sent yet")
  await c.page.locator('.dm-out:not(.dm-pending) .dm-text', { hasText: STRANGER_TEXT }).waitFor({ timeout: 20_000 })
  await go(b, '#/requests')
  await b.page
    .locator(`li.conversation-item[data-peer="${cId}"]`)
    .waitFor({ timeout: 15_000 })
    .catch(async (err: unknown) => {
      console.log(`B has no request from C: ${await whereIsMail(bId)}; B's delivery note: ${await deliveryNote(b)}`)
      throw err
    })
  await go(b, '#/messages')
  // the inbox is on screen (the folder link of the screen just loaded), and counts one request
  await b.page.locator('nav.folders a[href="#/messages"][aria-current=page]').waitFor()
  await b.page.getByRole('link', { name: b.t('dm.requests', { n: 1 }) }).waitFor()
  expect(await b.page.locator(`li.conversation-item[data-peer="${cId}"]`).count()).toBe(0)
  await go(b, `#/conversation/${encodeURIComponent(cId)}`)
  await b.page.getByText(b.t('dm.requestBanner', { name: 'Cleo' })).waitFor({ timeout: 10_000 })
  await screenshot(b, 'message-request')
  expect([...a.problems, ...b.problems, ...c.problems]).toEqual([])
})

/** for a failure's message: how many sealed messages each of this person's recent boxes holds at the relay */
async function whereIsMail(who: AuthorId): Promise<string> {
  const key = decodeDidKey(who)
  const db = new DatabaseSync(join(world.relay.dataDir, 'archive.db'), { readOnly: true })
  try {
    const rows = db.prepare('SELECT box FROM mailbox').all() as Array<{ box: Uint8Array }>
    const counts = [0, -1].map((w) => {
      const box = toHex(mailboxIdOf(key, mailboxEpochOf(Date.now() + w * MAILBOX_EPOCH_MS)))
      return `week ${w}: ${rows.filter((r) => toHex(new Uint8Array(r.box)) === box).length}`
    })
    return `the relay holds ${rows.length} sealed messages, in the person's boxes ${counts.join(', ')}`
  } finally {
    db.close()
  }
}

async function deliveryNote(p: Person): Promise<string> {
  await go(p, '#/messages')
  const note = p.page.locator('details.delivery-note')
  await note.waitFor({ timeout: 5_000 }).catch(() => undefined)
  return (await note.count()) === 0 ? '(none)' : ((await note.textContent()) ?? '')
}

/** how many messages B's app dropped with this code, as its Messages screen says */
async function droppedCount(p: Person, code: string): Promise<number> {
  await go(p, '#/messages')
  await p.page.locator('details.delivery-note').evaluate((el) => {
    ;(el as HTMLDetailsElement).open = true
  })
  const item = p.page.locator(`details.delivery-note li[data-code="${code}"]`)
  if ((await item.count()) === 0) return 0
  return Number(/(\d+)$/.exec((await item.textContent()) ?? '')?.[1] ?? 0)
}

it('a changed copy and a replay through a second relay are dropped with E_BAD_SEAL and E_REPLAYED; the conversation keeps one copy', async () => {
  // A's sealed message to B, as the relay holds it (B's secret, from the phrase, tells which row it is)
  const bIdentity = await createDmIdentity(phraseToSecretKey(bWords.join(' ')).secret)
  const bKey = decodeDidKey(bId)
  const boxes = [0, -1].map((w) => toHex(mailboxIdOf(bKey, mailboxEpochOf(Date.now() + w * MAILBOX_EPOCH_MS))))
  const db = new DatabaseSync(join(world.relay.dataDir, 'archive.db'), { readOnly: true })
  const rows = (db.prepare('SELECT box, msg FROM mailbox').all() as Array<{ box: Uint8Array; msg: Uint8Array }>)
    .map((r) => ({ box: new Uint8Array(r.box), msg: new Uint8Array(r.msg) }))
    .filter((r) => boxes.includes(toHex(r.box)))
  db.close()
  let fromA: { box: Uint8Array; msg: Uint8Array } | undefined
  for (const r of rows) {
    const opened = await bIdentity.open(r.msg).catch(() => undefined)
    if (opened !== undefined && encodeDidKey(opened.from) === aId) fromA = r
  }
  expect(fromA, "A's message in B's box at the relay").toBeDefined()

  // B also uses a second relay (added in Settings)
  const second = await startRelayProcess()
  const secondAddr = second.wsAddrs()[0]!
  await go(b, '#/settings')
  await b.page.getByLabel(b.t('settings.relayAddress')).fill(secondAddr)
  await b.page.getByRole('button', { name: b.t('settings.relayAdd'), exact: true }).click()
  await b.page.locator('ul.relays li', { hasText: secondAddr }).locator('.ok').waitFor({ timeout: 20_000 })
  const before = { seal: await droppedCount(b, 'E_BAD_SEAL'), replay: await droppedCount(b, 'E_REPLAYED') }

  // someone who copied it deposits the same bytes at the second relay, and a changed copy at the first
  const attacker = await createNode({ peerKey: await generatePeerKey() }, { relays: [], privacy: 'relay-only', testing: { allowLoopback: true } })
  try {
    const first = world.relay.wsAddrs()[0]!
    for (const addr of [first, secondAddr]) await attacker.dial(multiaddr(addr))
    const idOf = (addr: string) => peerIdFromString(addr.slice(addr.lastIndexOf('/p2p/') + 5))
    const changed = fromA!.msg.slice()
    changed[changed.length - 1]! ^= 0x01
    expect(await depositMail(attacker, idOf(secondAddr), fromA!.box, fromA!.msg)).toBeGreaterThan(0)
    expect(await depositMail(attacker, idOf(first), fromA!.box, changed)).toBeGreaterThan(0)
  } finally {
    await attacker.stop()
  }

  await expect.poll(() => droppedCount(b, 'E_REPLAYED'), { timeout: 20_000 }).toBeGreaterThan(before.replay)
  await expect.poll(() => droppedCount(b, 'E_BAD_SEAL'), { timeout: 20_000 }).toBeGreaterThan(before.seal)
  await b.page.locator('details.delivery-note li[data-code="E_BAD_SEAL"]', { hasText: 'E_BAD_SEAL' }).waitFor()
  await screenshot(b, 'messages-dropped', 'section.messages')
  await openConversation(b, aId)
  await b.page.locator('.dm-in .dm-text', { hasText: SECRET_TEXT }).first().waitFor()
  expect(await b.page.locator('.dm-in .dm-text', { hasText: SECRET_TEXT }).count()).toBe(1)
  expect(b.problems).toEqual([])
})
