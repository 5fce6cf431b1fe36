// Direct messages on this device (protocol/direct-messages.md §7): sealed messages from the
// mailboxes are opened here, refused when changed (E_BAD_SEAL) or seen before (E_REPLAYED),
// and kept per conversation in the store's private table — never published. Sending seals the
// letter twice (to the recipient and to my own devices) and keeps the deposits until a relay
// has taken them.
import { decodeJson, encodeJson } from './json.ts'
import { oldestFirst } from './keys.ts'
import type { Storage, WriteOp } from './storage.ts'
import { decodeDidKey, encodeDidKey } from '../core/did-key.ts'
import { isWildgrassError, type ErrorCode } from '../core/errors.ts'
import { fromHex, toHex } from '../core/bytes.ts'
import { mailboxEpochOf, mailboxIdOf } from '../core/dm-keys.ts'
import { LETTER_ID_BYTES } from '../core/dm-limits.ts'
import type { DmIdentity } from '../core/dm-seal.ts'
import type { AuthorId } from '../core/types.ts'

export interface DirectMessage {
  /** the letter id, hex */
  readonly id: string
  readonly peer: AuthorId
  /** written by me */
  readonly out: boolean
  readonly text: string
  readonly ts: number
  /** mine and not yet taken by any relay */
  readonly pending: boolean
}

export interface Conversation {
  readonly peer: AuthorId
  readonly last: number
  readonly preview: string
  readonly lastOut: boolean
  /** how many I wrote: a conversation I took part in is never a request */
  readonly outCount: number
  readonly inCount: number
}

/** One deposit to make: a sealed message and the mailbox it goes to. */
export interface Deposit {
  readonly box: Uint8Array
  readonly msg: Uint8Array
}

export type ReceiveResult =
  { readonly ok: true; readonly message: DirectMessage } | { readonly ok: false; readonly code: ErrorCode | 'refused'; readonly message: string }

export interface ReceivePolicy {
  /** refused outright (nothing kept): blocked people, and strangers when requests are refused */
  refuse(from: AuthorId, conversation: Conversation | undefined): boolean
}

export interface DirectMessages {
  /** opens and keeps sealed messages from my mailboxes; one result per message */
  receive(sealed: readonly Uint8Array[]): Promise<ReceiveResult[]>
  /** seals, keeps, and returns what to deposit (also kept until markDeposited) */
  send(to: AuthorId, text: string): Promise<{ message: DirectMessage; deposits: Deposit[] }>
  /** deposits not yet taken by a relay, by letter id */
  pendingDeposits(): Promise<Array<{ id: string; deposits: Deposit[] }>>
  markDeposited(id: string): Promise<void>
  conversations(): Promise<Conversation[]>
  messages(peer: AuthorId, limit?: number): Promise<DirectMessage[]>
  /** my mailboxes to watch now: this week, the weeks a relay may still hold, next week */
  mailboxEpochs(): number[]
}

/**
 * Who is refused outright (protocol/direct-messages.md §7): people I blocked, and — when I chose
 * to refuse requests — anyone I do not follow and never wrote to.
 */
export function createReceivePolicy(source: {
  isBlocked(author: AuthorId): boolean
  isFollowed(author: AuthorId): boolean
  refuseRequests(): boolean
}): ReceivePolicy {
  return {
    refuse: (from, conversation) => source.isBlocked(from) || (source.refuseRequests() && !source.isFollowed(from) && (conversation?.outCount ?? 0) === 0),
  }
}

export interface DirectMessagesInit {
  readonly storage: Storage
  readonly identity: DmIdentity
  readonly policy: ReceivePolicy
  readonly now?: () => number
  /** weeks of mail a relay keeps (retention), watched back from this week */
  readonly weeksBack?: number
}

const KEY = {
  message: (peer: string, ts: number, id: string) => `dm|m|${peer}|${oldestFirst(ts)}|${id}`,
  messagePrefix: (peer: string) => `dm|m|${peer}|`,
  conversation: (peer: string) => `dm|c|${peer}`,
  conversationPrefix: 'dm|c|',
  seen: (id: string) => `dm|id|${id}`,
  deposit: (id: string) => `dm|q|${id}`,
  depositPrefix: 'dm|q|',
}

interface StoredMessage {
  out: boolean
  text: string
  ts: number
}

const PREVIEW_CHARS = 80
const EMPTY = new Uint8Array(0)

export function createDirectMessages(init: DirectMessagesInit): DirectMessages {
  const { storage, identity } = init
  const now = init.now ?? Date.now
  const me = encodeDidKey(identity.publicKey)
  let queue: Promise<unknown> = Promise.resolve()
  // one write at a time: a replay check and its write must not interleave with another's
  const exclusive = <T>(run: () => Promise<T>): Promise<T> => {
    const result = queue.then(run)
    queue = result.catch(() => undefined)
    return result
  }

  async function conversation(peer: string): Promise<Conversation | undefined> {
    return decodeJson<Conversation>(await storage.get('private', KEY.conversation(peer)))
  }

  function keep(peer: AuthorId, id: string, stored: StoredMessage, before: Conversation | undefined): WriteOp[] {
    const c: Conversation = {
      peer,
      last: Math.max(before?.last ?? 0, stored.ts),
      preview: stored.ts >= (before?.last ?? 0) ? [...stored.text].slice(0, PREVIEW_CHARS).join('') : before!.preview,
      lastOut: stored.ts >= (before?.last ?? 0) ? stored.out : before!.lastOut,
      outCount: (before?.outCount ?? 0) + (stored.out ? 1 : 0),
      inCount: (before?.inCount ?? 0) + (stored.out ? 0 : 1),
    }
    return [
      { type: 'put', table: 'private', key: KEY.message(peer, stored.ts, id), value: encodeJson(stored) },
      { type: 'put', table: 'private', key: KEY.conversation(peer), value: encodeJson(c) },
      { type: 'put', table: 'private', key: KEY.seen(id), value: EMPTY },
    ]
  }

  async function receiveOne(sealed: Uint8Array): Promise<ReceiveResult> {
    let opened
    try {
      opened = await identity.open(sealed, { now: now() })
    } catch (err) {
      if (isWildgrassError(err)) return { ok: false, code: err.code, message: err.message }
      return { ok: false, code: 'E_BAD_SEAL', message: String(err) }
    }
    const { from, letter } = opened
    const fromMe = encodeDidKey(from) === me
    const peer = fromMe ? encodeDidKey(letter.to) : encodeDidKey(from)
    const id = toHex(letter.id)
    return exclusive(async () => {
      if ((await storage.get('private', KEY.seen(id))) !== undefined)
        return { ok: false, code: 'E_REPLAYED', message: 'E_REPLAYED: this message was received before' }
      const before = await conversation(peer)
      if (!fromMe && init.policy.refuse(peer, before)) return { ok: false, code: 'refused', message: 'refused by my settings (blocked, or requests refused)' }
      const stored: StoredMessage = { out: fromMe, text: letter.text, ts: letter.ts }
      await storage.write(keep(peer, id, stored, before))
      return { ok: true, message: { id, peer, ...stored, pending: false } }
    })
  }

  return {
    async receive(list) {
      return Promise.all(list.map(receiveOne))
    },
    async send(to, text) {
      const recipient = decodeDidKey(to)
      const ts = now()
      const letter = { id: globalThis.crypto.getRandomValues(new Uint8Array(LETTER_ID_BYTES)), to: recipient, ts, text }
      const epoch = mailboxEpochOf(ts)
      const deposits: Deposit[] = [{ box: mailboxIdOf(recipient, epoch), msg: await identity.seal(recipient, letter, { now: ts }) }]
      if (to !== me) deposits.push({ box: mailboxIdOf(identity.publicKey, epoch), msg: await identity.seal(identity.publicKey, letter, { now: ts }) })
      const id = toHex(letter.id)
      const stored: StoredMessage = { out: true, text, ts }
      await exclusive(async () => {
        const ops = keep(to, id, stored, await conversation(to))
        ops.push({ type: 'put', table: 'private', key: KEY.deposit(id), value: encodeJson(deposits.map((d) => [toHex(d.box), toHex(d.msg)])) })
        await storage.write(ops)
      })
      return { message: { id, peer: to, ...stored, pending: true }, deposits }
    },
    async pendingDeposits() {
      const rows = await storage.range('private', { prefix: KEY.depositPrefix })
      return rows.map((row) => ({
        id: row.key.slice(KEY.depositPrefix.length),
        deposits: (decodeJson<Array<[string, string]>>(row.value) ?? []).map(([box, msg]) => ({ box: fromHex(box), msg: fromHex(msg) })),
      }))
    },
    async markDeposited(id) {
      await exclusive(() => storage.write([{ type: 'delete', table: 'private', key: KEY.deposit(id) }]))
    },
    async conversations() {
      const rows = await storage.range('private', { prefix: KEY.conversationPrefix })
      return rows.map((r) => decodeJson<Conversation>(r.value)!).sort((a, b) => b.last - a.last)
    },
    async messages(peer, limit = 200) {
      const [rows, pending] = await Promise.all([
        storage.range('private', { prefix: KEY.messagePrefix(peer), reverse: true, limit }),
        storage.rangeKeys('private', { prefix: KEY.depositPrefix }),
      ])
      const waiting = new Set(pending.map((k) => k.slice(KEY.depositPrefix.length)))
      return rows.reverse().map((row) => {
        const id = row.key.slice(row.key.lastIndexOf('|') + 1)
        const m = decodeJson<StoredMessage>(row.value)!
        return { id, peer, ...m, pending: m.out && waiting.has(id) }
      })
    },
    mailboxEpochs() {
      const current = mailboxEpochOf(now())
      const back = init.weeksBack ?? 5
      return Array.from({ length: back + 2 }, (_, i) => current + 1 - i)
    },
  }
}
