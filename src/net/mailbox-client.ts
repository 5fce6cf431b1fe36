// Client side of /wildgrass/mailbox/1.0.0 (protocol/direct-messages.md §5): deposit a sealed
// message at a relay, and watch one's own mailboxes there — open them once per stream with a
// proof over the relay's challenge, then fetch, the relay holding each fetch until mail comes.
import type { Libp2p, PeerId, Stream } from '@libp2p/interface'
import { fail, toHex } from '../core/index.ts'
import { MAILBOX_PROTOCOL, MAX_OPEN_BOXES, MAX_WAIT_MS, type MailItem } from './mailbox-frames.ts'
import { expectFrame, frameMailboxStream, type MailboxStream } from './mailbox-stream.ts'

/** A mailbox this device may open: its id and a way to sign as it (core signAsMailbox). */
export interface OwnedMailbox {
  readonly box: Uint8Array
  sign(message: Uint8Array): Uint8Array
}

/** Builds the message a proof signs (core mailboxProofBytes). */
export type ProofBytes = (box: Uint8Array, challenge: Uint8Array, relayPeerId: string) => Uint8Array

async function openStream(node: Libp2p, peer: PeerId, signal: AbortSignal): Promise<Stream> {
  // mailboxes ride on a direct connection to the relay, like sync (not on limited, relayed ones)
  const conn = node
    .getConnections(peer)
    .filter((c) => c.status === 'open' && c.limits === undefined)
    .sort((a, b) => b.timeline.open - a.timeline.open)[0]
  return conn === undefined ? node.dialProtocol(peer, MAILBOX_PROTOCOL, { signal }) : conn.newStream(MAILBOX_PROTOCOL, { signal })
}

/** Deposits one sealed message into `box` at the relay `peer`; resolves with the relay's sequence number. */
export async function depositMail(node: Libp2p, peer: PeerId, box: Uint8Array, msg: Uint8Array, timeoutMs = 10_000): Promise<number> {
  const signal = AbortSignal.timeout(timeoutMs)
  const s = frameMailboxStream(await openStream(node, peer, signal))
  try {
    await expectFrame(s, 'challenge', signal)
    await s.write({ t: 'put', box, msg }, signal)
    const { seq } = await expectFrame(s, 'stored', signal)
    await s.close()
    return seq
  } catch (err) {
    s.abort(err instanceof Error ? err : new Error(String(err)))
    throw err
  }
}

export interface WatchInit {
  readonly boxes: () => readonly OwnedMailbox[]
  readonly proofBytes: ProofBytes
  /** where each box was read up to at this relay (box hex → seq) */
  readonly cursors: Map<string, number>
  onMail(items: readonly MailItem[]): Promise<void>
  readonly signal: AbortSignal
  /** how long the relay holds a fetch open (default 25 s) */
  readonly waitMs?: number
}

/**
 * Watches the boxes at one relay until the signal aborts or the stream fails (then it throws;
 * the caller reconnects). New boxes (a new week) are opened on the same stream as they appear.
 */
export async function watchMailboxes(node: Libp2p, peer: PeerId, init: WatchInit): Promise<void> {
  const s: MailboxStream = frameMailboxStream(await openStream(node, peer, AbortSignal.any([init.signal, AbortSignal.timeout(10_000)])))
  const stop = (): void => s.abort(new Error('stopped'))
  init.signal.addEventListener('abort', stop)
  try {
    const { nonce } = await expectFrame(s, 'challenge', init.signal)
    const opened = new Set<string>()
    const relay = peer.toString()
    while (!init.signal.aborted) {
      const fresh = init
        .boxes()
        .filter((b) => !opened.has(toHex(b.box)))
        .slice(0, MAX_OPEN_BOXES - opened.size)
      if (fresh.length > 0) {
        await s.write({ t: 'open', proofs: fresh.map((b) => ({ box: b.box, sig: b.sign(init.proofBytes(b.box, nonce, relay)) })) })
        await expectFrame(s, 'opened', init.signal)
        for (const b of fresh) opened.add(toHex(b.box))
      }
      const from = init
        .boxes()
        .filter((b) => opened.has(toHex(b.box)))
        .map((b) => ({ box: b.box, after: init.cursors.get(toHex(b.box)) ?? 0 }))
      if (from.length === 0) fail('E_MALFORMED', 'no mailbox to watch')
      let more = true
      while (more && !init.signal.aborted) {
        const current = from.map((c) => ({ box: c.box, after: init.cursors.get(toHex(c.box)) ?? 0 }))
        await s.write({ t: 'fetch', from: current, wait: Math.min(MAX_WAIT_MS, init.waitMs ?? 25_000) })
        const page = await expectFrame(s, 'mail', AbortSignal.any([init.signal, AbortSignal.timeout(MAX_WAIT_MS + 15_000)]))
        // the relay answers only for boxes we opened; anything else is its mistake, dropped
        const mine = page.items.filter((item) => opened.has(toHex(item.box)))
        if (mine.length > 0) await init.onMail(mine)
        for (const item of mine) {
          const key = toHex(item.box)
          init.cursors.set(key, Math.max(init.cursors.get(key) ?? 0, item.seq))
        }
        more = page.more
      }
    }
  } finally {
    init.signal.removeEventListener('abort', stop)
    s.abort(new Error('done'))
  }
}
