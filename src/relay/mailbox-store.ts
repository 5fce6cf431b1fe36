// The relay's mailboxes (protocol/direct-messages.md §6): sealed messages kept in SQLite for the
// recipient's devices to fetch, under quotas and a retention. The relay cannot open them; it
// keeps no sender, no arrival time finer than the hour, and no link between mailboxes.
import { createHash, randomInt } from 'node:crypto'
import type { DatabaseSync, StatementSync } from 'node:sqlite'
import { fail } from '../core/errors.ts'
import type { MailItem } from '../net/mailbox-frames.ts'

export interface MailboxQuotas {
  /** sealed messages kept per mailbox (one person, one week) */
  readonly maxPerBox: number
  /** bytes kept per mailbox */
  readonly maxBytesPerBox: number
  /** bytes kept in all mailboxes */
  readonly maxBytes: number
  /** how long a message is kept (ms): every device of the recipient has that long to fetch it */
  readonly retentionMs: number
}

export const DEFAULT_MAILBOX_QUOTAS: MailboxQuotas = {
  maxPerBox: 1000,
  maxBytesPerBox: 4 * 1024 * 1024,
  maxBytes: 256 * 1024 * 1024,
  retentionMs: 30 * 24 * 3600_000,
}

export interface MailboxStats {
  readonly messages: number
  readonly bytes: number
  readonly refusals: number
}

export interface MailboxStore {
  /** stores one sealed message; the same bytes twice are stored once (its first seq) */
  put(box: Uint8Array, msg: Uint8Array): { seq: number; duplicate: boolean }
  /** messages after each box's cursor, oldest first, at most `limit` in all */
  fetch(from: ReadonlyArray<{ box: Uint8Array; after: number }>, limit: number): { items: MailItem[]; more: boolean }
  /** drops expired messages; returns how many */
  prune(): number
  stats(): MailboxStats
}

const HOUR = 3600_000

export function createMailboxStore(db: DatabaseSync, quotas: MailboxQuotas = DEFAULT_MAILBOX_QUOTAS, now: () => number = Date.now): MailboxStore {
  db.exec(`CREATE TABLE IF NOT EXISTS mailbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    box BLOB NOT NULL,
    id BLOB NOT NULL UNIQUE,
    msg BLOB NOT NULL,
    expires INTEGER NOT NULL
  )`)
  db.exec('CREATE INDEX IF NOT EXISTS mailbox_box ON mailbox (box, seq)')
  db.exec('CREATE INDEX IF NOT EXISTS mailbox_expires ON mailbox (expires)')
  const byId = db.prepare('SELECT seq FROM mailbox WHERE id = ?')
  const usage = db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(length(msg)), 0) AS bytes FROM mailbox WHERE box = ?')
  const insert = db.prepare('INSERT INTO mailbox (box, id, msg, expires) VALUES (?, ?, ?, ?)')
  const after = db.prepare('SELECT box, seq, msg FROM mailbox WHERE box = ? AND seq > ? ORDER BY seq LIMIT ?')
  const expired = db.prepare('SELECT COALESCE(SUM(length(msg)), 0) AS bytes, COUNT(*) AS n FROM mailbox WHERE expires <= ?')
  const removeExpired = db.prepare('DELETE FROM mailbox WHERE expires <= ?')
  const total = db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(length(msg)), 0) AS bytes FROM mailbox').get() as { n: number; bytes: number }
  let messages = Number(total.n)
  let bytes = Number(total.bytes)
  let refusals = 0

  function refuse(message: string): never {
    refusals++
    return fail('E_QUOTA', message)
  }

  return {
    put(box, msg) {
      const id = createHash('sha256').update(msg).digest()
      const existing = byId.get(id) as { seq: number } | undefined
      if (existing !== undefined) return { seq: Number(existing.seq), duplicate: true }
      if (bytes + msg.length > quotas.maxBytes) refuse("the relay's mailboxes are full")
      const used = usage.get(box) as { n: number; bytes: number }
      if (Number(used.n) >= quotas.maxPerBox || Number(used.bytes) + msg.length > quotas.maxBytesPerBox) refuse('this mailbox is full')
      // kept until a whole hour plus up to an hour more at random: the table says little about
      // when a message came (protocol/direct-messages.md §6)
      const expires = Math.ceil((now() + quotas.retentionMs) / HOUR) * HOUR + randomInt(HOUR)
      const r = insert.run(box, id, msg, expires)
      messages++
      bytes += msg.length
      return { seq: Number(r.lastInsertRowid), duplicate: false }
    },
    fetch(from, limit) {
      const items: MailItem[] = []
      for (const { box, after: cursor } of from) {
        if (items.length >= limit) break
        const rows = (after as StatementSync).all(box, cursor, limit - items.length) as Array<{ box: Uint8Array; seq: number; msg: Uint8Array }>
        for (const row of rows) items.push({ box: new Uint8Array(row.box), seq: Number(row.seq), msg: new Uint8Array(row.msg) })
      }
      items.sort((a, b) => a.seq - b.seq)
      // a full page may have more behind it: the client asks again (and then gets what is left)
      return { items, more: items.length >= limit }
    },
    prune() {
      const t = now()
      const gone = expired.get(t) as { bytes: number; n: number }
      removeExpired.run(t)
      messages -= Number(gone.n)
      bytes -= Number(gone.bytes)
      return Number(gone.n)
    },
    stats: () => ({ messages, bytes, refusals }),
  }
}
