// The store benchmark's data set: 100,000 signed events by 1,000 authors (posts in English and
// Chinese with hashtags, some replies and reactions), and the local identity following 200 of
// them. Signing 100k events takes a while, so the set is cached in the OS temp directory.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { toHex, fromHex } from '../../src/core/bytes.ts'
import { encodeDidKey } from '../../src/core/did-key.ts'
import { createEvent } from '../../src/core/event-create.ts'
import { getPublicKey } from '../../src/core/keys.ts'
import type { AuthorId, EventId, SecretKey } from '../../src/core/types.ts'

export interface Fixture {
  /** wire bytes of every event, oldest first */
  events: Uint8Array[]
  me: SecretKey
  follows: AuthorId[]
  /** where the bytes are: length-prefixed events (u32 BE), for the Chromium page */
  file: string
  metaFile: string
}

export const NOW = Date.UTC(2026, 0, 15)
const AUTHORS = 1000
const FOLLOWS = 200
const texts = [
  'Hello, Wildgrass! Walking in the park today #bench',
  '野火烧不尽，春风吹又生 🌱 #野草',
  '今天天氣很好，出去走走 ☀️ #散步',
  'Reading about local-first software and CRDTs, recommended #localfirst',
  '我们明天在咖啡馆见面吧，顺便聊聊这个项目',
]

function seed(i: number): SecretKey {
  const s = new Uint8Array(32)
  new DataView(s.buffer).setUint32(0, i + 7)
  s[31] = 0x5a
  return s as SecretKey
}

export function loadFixture(count: number): Fixture {
  const dir = join(tmpdir(), 'wildgrass-bench')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `store-events-${count}.bin`)
  const metaFile = join(dir, `store-events-${count}.json`)
  const me = seed(1_000_000)
  const follows = Array.from({ length: FOLLOWS }, (_, i) => encodeDidKey(getPublicKey(seed(i * 5))))
  if (existsSync(file) && existsSync(metaFile)) {
    const buf = readFileSync(file)
    const events: Uint8Array[] = []
    for (let at = 0; at < buf.length;) {
      const n = buf.readUInt32BE(at)
      events.push(new Uint8Array(buf.subarray(at + 4, at + 4 + n)))
      at += 4 + n
    }
    return { events, me, follows, file, metaFile }
  }
  const t0 = performance.now()
  const events: Uint8Array[] = []
  const recent: EventId[] = []
  for (let i = 0; i < count; i++) {
    const author = seed(i % AUTHORS)
    const ts = NOW - (count - i) * 1000
    const text = texts[i % texts.length]!
    let e
    if (i % 10 === 3 && recent.length > 0) {
      const parent = recent[(i * 7) % recent.length]!
      e = createEvent(author, { kind: 'post', ts, body: { text: `re: ${text}`, reply: { root: parent, parent } } }, { now: NOW })
    } else if (i % 10 === 7 && recent.length > 0) {
      e = createEvent(author, { kind: 'reaction', ts, body: { target: recent[(i * 13) % recent.length]!, emoji: '🌱' } }, { now: NOW })
    } else {
      e = createEvent(author, { kind: 'post', ts, body: { text: `${text} ${i}` } }, { now: NOW })
      recent.push(e.id)
      if (recent.length > 500) recent.shift()
    }
    events.push(e.bytes)
  }
  const total = events.reduce((n, b) => n + 4 + b.length, 0)
  const buf = Buffer.alloc(total)
  let at = 0
  for (const b of events) {
    buf.writeUInt32BE(b.length, at)
    buf.set(b, at + 4)
    at += 4 + b.length
  }
  writeFileSync(file, buf)
  writeFileSync(metaFile, JSON.stringify({ me: toHex(me), follows }))
  console.log(`generated ${count} events in ${Math.round(performance.now() - t0)} ms (cached in ${file})`)
  return { events, me, follows, file, metaFile }
}

export function secretFromHex(hex: string): SecretKey {
  return fromHex(hex) as SecretKey
}
