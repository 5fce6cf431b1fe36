// Direct messages (protocol/direct-messages.md):
// - dm.encrypt_decrypt_per_s: letters sealed by A and opened by B per second, one after another,
//   in Node (core createDmIdentity with node:crypto's X25519, as Node peers use; the WebCrypto and
//   noble providers are printed beside it, the browser uses WebCrypto). Each pair costs a
//   one-time key generation, one agreement on each side and one key import (the static agreement
//   is cached per peer): measured ~45 µs each with node:crypto on this machine, so the curve alone
//   bounds one core near 5,000 pairs/s before any hashing, AEAD or CBOR;
// - dm.overhead_bytes: for a 100-character message, the bytes our protocol puts on the wire
//   beyond the 100 bytes of text, counted frame by frame (the deposit to the recipient's mailbox,
//   length prefix included); the copy for the sender's own devices and the fetch by the recipient
//   are reported on their own. Transport framing (Noise, yamux) is not counted;
// - dm.send_to_read_ms.p50: A presses Send in the real app in Chromium, B's open conversation
//   shows the message; one loopback relay process serving the app.
import { encodeMailboxFrame } from '../src/net/mailbox-frames.ts'
import { createDmIdentity } from '../src/core/dm-seal.ts'
import { getPublicKey, mailboxIdOf, mailboxEpochOf, type PublicKey, type SecretKey } from '../src/core/index.ts'
import { nobleX25519, webCryptoX25519, type X25519Provider } from '../src/core/x25519.ts'
import { nodeX25519 } from '../src/net/x25519-node.ts'
import { authorIdOf, buildApp, createPerson, go, launchBrowser, onboard, waitOnline } from '../test/support/app-e2e.ts'
import { cleanupRelays, startRelayProcess } from '../test/support/relay-process.ts'
import { percentile, recordResults } from './lib/results.ts'

const figures: Record<string, number> = {}
const aSecret = new Uint8Array(32).fill(1) as SecretKey
const bSecret = new Uint8Array(32).fill(2) as SecretKey
const B = getPublicKey(bSecret) as PublicKey
const TEXT = 'A hundred characters: the quick brown fox jumps over the lazy dog, and the lazy dog lets it go by...'
if (TEXT.length !== 100) throw new Error('the message must be 100 characters')

async function throughput(provider: X25519Provider, seconds: number): Promise<number> {
  const a = await createDmIdentity(aSecret, provider)
  const b = await createDmIdentity(bSecret, provider)
  const letter = (i: number) => ({ id: new Uint8Array(16).map((_, j) => (i >> (j % 4)) & 0xff), to: B, ts: Date.now(), text: TEXT })
  for (let i = 0; i < 50; i++) await b.open(await a.seal(B, letter(i))) // warm up
  let n = 0
  const start = performance.now()
  while (performance.now() - start < seconds * 1000) {
    await b.open(await a.seal(B, letter(n)))
    n++
  }
  return n / ((performance.now() - start) / 1000)
}

figures['dm.encrypt_decrypt_per_s'] = await throughput(nodeX25519, 5)
figures['dm.encrypt_decrypt_per_s.webcrypto'] = await throughput(webCryptoX25519, 5)
figures['dm.encrypt_decrypt_per_s.noble'] = await throughput(nobleX25519, 3)

// bytes on the wire, frame by frame
{
  const a = await createDmIdentity(aSecret, nodeX25519)
  const now = Date.now()
  const letter = { id: new Uint8Array(16), to: B, ts: now, text: TEXT }
  const toB = await a.seal(B, letter)
  const toSelf = await a.seal(getPublicKey(aSecret) as PublicKey, letter)
  const box = mailboxIdOf(B, mailboxEpochOf(now))
  const framed = (frame: Parameters<typeof encodeMailboxFrame>[0]) => {
    const n = encodeMailboxFrame(frame).length
    return n + (n < 128 ? 1 : n < 16384 ? 2 : 3) // unsigned-varint length prefix
  }
  const plaintext = new TextEncoder().encode(TEXT).length
  const put = framed({ t: 'put', box, msg: toB })
  figures['dm.sealed_bytes'] = toB.length
  figures['dm.overhead_bytes'] = put - plaintext
  figures['dm.overhead_bytes.deposit_stream'] =
    framed({ t: 'challenge', nonce: new Uint8Array(32) }) + put + framed({ t: 'stored', seq: 1_000_000 }) - plaintext
  figures['dm.overhead_bytes.self_copy'] = framed({ t: 'put', box: mailboxIdOf(getPublicKey(aSecret), mailboxEpochOf(now)), msg: toSelf })
  figures['dm.overhead_bytes.fetch'] = framed({ t: 'mail', items: [{ box, seq: 1_000_000, msg: toB }], more: false }) - plaintext
}

// send to read, real UI
const ROUNDS = 20
const build = buildApp()
const relay = await startRelayProcess({ args: ['--app', build.dir] })
const browser = await launchBrowser()
try {
  const a = await createPerson(browser, 'en')
  const b = await createPerson(browser, 'en')
  for (const [p, name] of [
    [a, 'Ann'],
    [b, 'Ben'],
  ] as const) {
    await p.page.goto(relay.ready.http)
    await onboard(p, name)
    await waitOnline(p)
  }
  const aId = await authorIdOf(a)
  const bId = await authorIdOf(b)
  await go(a, `#/conversation/${encodeURIComponent(bId)}`)
  await go(b, `#/conversation/${encodeURIComponent(aId)}`)
  await b.page.locator('section.conversation').waitFor()
  // B notes when each message first shows (system clock, same machine as A's page)
  await b.page.evaluate(() => {
    const seen: Record<string, number> = {}
    ;(window as unknown as { wgSeen: Record<string, number> }).wgSeen = seen
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('.dm-in .dm-text')) {
        const key = el.textContent ?? ''
        if (!(key in seen)) seen[key] = Date.now()
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true })
  })
  const times: number[] = []
  for (let i = 0; i < ROUNDS + 2; i++) {
    const text = `round ${i}: ${TEXT.slice(0, 80)}`
    await a.page.locator('#dm-text').fill(text)
    const sentAt = await a.page.evaluate(() => {
      const t = Date.now()
      ;(document.querySelector('form.dm-compose button[type=submit]') as HTMLButtonElement).click()
      return t
    })
    await b.page.waitForFunction((t) => t in (window as unknown as { wgSeen: Record<string, number> }).wgSeen, text, { timeout: 30_000 })
    const shownAt = await b.page.evaluate((t) => (window as unknown as { wgSeen: Record<string, number> }).wgSeen[t]!, text)
    if (i >= 2) times.push(shownAt - sentAt) // the first two warm the streams and caches up
    await a.page.waitForFunction(() => (document.getElementById('dm-text') as HTMLTextAreaElement | null)?.value === '')
    await a.page.waitForTimeout(200)
  }
  console.log(`send to read (ms): ${times.join(', ')}`)
  figures['dm.send_to_read_ms.p50'] = percentile(times, 50)
  figures['dm.send_to_read_ms.p90'] = percentile(times, 90)
} finally {
  await browser.close()
  await cleanupRelays()
  build.cleanup()
}

recordResults(figures)
