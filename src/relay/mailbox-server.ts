// Server side of /wildgrass/mailbox/1.0.0 (protocol/direct-messages.md §5): a fresh challenge
// first, then deposits (anyone), opening mailboxes (a signature under the mailbox key over the
// challenge and this relay's peer id), and fetches that wait for new mail. Bad input gets an
// `error` frame with its code; a forged proof closes the stream.
import type { Connection, Stream } from '@libp2p/interface'
import { assertPublicKey, isWildgrassError, mailboxProofBytes, toHex, verifySignature, type ErrorCode } from '../core/index.ts'
import { CHALLENGE_BYTES, MAX_MAIL_PER_FRAME, MAX_OPEN_BOXES, type MailboxFrame } from '../net/mailbox-frames.ts'
import { frameMailboxStream, type MailboxStream } from '../net/mailbox-stream.ts'
import type { RateLimiter } from '../net/rate-limiter.ts'
import type { MailboxStore } from './mailbox-store.ts'

export interface MailboxServer {
  handle(stream: Stream, connection: Connection): Promise<void>
  /** streams being served now */
  active(): number
}

export interface MailboxServerInit {
  readonly store: MailboxStore
  /** this relay's libp2p peer id: proofs name it, so they are good at this relay only */
  readonly relayPeerId: string
  /** deposits per remote peer */
  readonly deposits: RateLimiter
  /** a stream without a request for this long is closed */
  readonly idleMs?: number
  readonly onDeposit?: () => void
}

/** First letter of a sealed message (protocol/direct-messages.md §3); the relay checks no more. */
const SEALED_VERSION = 1
const MIN_SEALED_BYTES = 131

export function createMailboxServer(init: MailboxServerInit): MailboxServer {
  const waiters = new Map<string, Set<() => void>>()
  let active = 0

  function wake(box: Uint8Array): void {
    const set = waiters.get(toHex(box))
    if (set === undefined) return
    waiters.delete(toHex(box))
    for (const w of set) w()
  }

  /** resolves when one of the boxes gets mail, after `ms`, or when the signal aborts */
  function waitForMail(boxes: readonly string[], ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer)
        signal.removeEventListener('abort', done)
        for (const b of boxes) waiters.get(b)?.delete(done)
        resolve()
      }
      const timer = setTimeout(done, ms)
      signal.addEventListener('abort', done)
      for (const b of boxes) {
        let set = waiters.get(b)
        if (set === undefined) waiters.set(b, (set = new Set()))
        set.add(done)
      }
    })
  }

  async function serve(s: MailboxStream, connection: Connection, closed: AbortSignal): Promise<void> {
    const nonce = globalThis.crypto.getRandomValues(new Uint8Array(CHALLENGE_BYTES))
    const opened = new Set<string>()
    await s.write({ t: 'challenge', nonce })
    for (;;) {
      const frame = await s.read(AbortSignal.any([closed, AbortSignal.timeout(init.idleMs ?? 60_000)]))
      if (frame === undefined) return
      const answer = await respond(frame, nonce, opened, connection, closed)
      await s.write(answer)
      if (answer.t === 'error' && (frame.t === 'open' || frame.t === 'fetch')) return
    }
  }

  async function respond(frame: MailboxFrame, nonce: Uint8Array, opened: Set<string>, connection: Connection, closed: AbortSignal): Promise<MailboxFrame> {
    try {
      switch (frame.t) {
        case 'put': {
          if (!init.deposits.take(connection.remotePeer.toString())) return error('E_RATE_LIMITED', 'too many deposits: try later')
          assertPublicKey(frame.box)
          if (frame.msg.length < MIN_SEALED_BYTES || frame.msg[0] !== SEALED_VERSION) return error('E_MALFORMED', 'not a sealed message')
          const { seq } = init.store.put(frame.box, frame.msg)
          init.onDeposit?.()
          wake(frame.box)
          return { t: 'stored', seq }
        }
        case 'open': {
          if (opened.size + frame.proofs.length > MAX_OPEN_BOXES) return error('E_OVERSIZE', `at most ${MAX_OPEN_BOXES} mailboxes per stream`)
          for (const { box, sig } of frame.proofs) {
            await verifySignature(box, mailboxProofBytes(box, nonce, init.relayPeerId), sig)
            opened.add(toHex(box))
          }
          return { t: 'opened', boxes: opened.size }
        }
        case 'fetch': {
          const boxes = frame.from.map((c) => toHex(c.box))
          if (boxes.some((b) => !opened.has(b))) return error('E_BAD_SIGNATURE', 'open the mailbox first')
          let page = init.store.fetch(frame.from, MAX_MAIL_PER_FRAME)
          if (page.items.length === 0 && frame.wait > 0) {
            await waitForMail(boxes, frame.wait, closed)
            page = init.store.fetch(frame.from, MAX_MAIL_PER_FRAME)
          }
          return { t: 'mail', items: page.items, more: page.more }
        }
        default:
          return error('E_MALFORMED', `a client does not send ${frame.t}`)
      }
    } catch (err) {
      if (isWildgrassError(err)) return error(err.code, err.message)
      return error('E_STORAGE', 'the relay could not do that now')
    }
  }

  return {
    async handle(stream, connection) {
      const s = frameMailboxStream(stream)
      const closed = new AbortController()
      stream.addEventListener('close', () => closed.abort(), { once: true })
      active++
      try {
        await serve(s, connection, closed.signal)
        await s.close()
      } catch (err) {
        if (isWildgrassError(err)) await s.write(error(err.code, err.message)).catch(() => undefined)
        s.abort(err instanceof Error ? err : new Error(String(err)))
      } finally {
        active--
        closed.abort()
      }
    },
    active: () => active,
  }
}

function error(code: ErrorCode, message: string): MailboxFrame {
  return { t: 'error', code, message: message.slice(0, 200) }
}
