// Sealing at rest, for the app lock (src/app/README.md "App lock"): wrappers around the app
// database and the store's Storage that seal values on the way in and open them on the way out
// with the identity's at-rest key (lib/app-lock-crypto.ts). Reads open whatever is sealed
// whether the lock is on or not (a device restored from its phrase reads its state again);
// writes are sealed only while the lock is on. Turning the lock on or off rewrites every value.
// The wrappers start without a key (before the passphrase is typed): a sealed value reads as absent.
import { fromBase64Url, toBase64Url, utf8Decode, utf8Encode } from '../../core/bytes.ts'
import type { TableName, Storage, StorageEntry, WriteOp } from '../../store/storage.ts'
import type { ValueSealer } from '../lib/app-lock-crypto.ts'
import { isSealedValue } from '../lib/sealed-value.ts'
import type { AppDb, AppDbKey } from './app-db.ts'

export interface AtRestControl {
  /** the identity's sealer (once its seed is known), and whether new writes are sealed */
  unlock(sealer: ValueSealer, sealWrites: boolean): void
  /** turns sealing of new writes on or off, and rewrites what is stored to match */
  reseal(sealWrites: boolean): Promise<void>
}

/** The store's tables that hold private state (mutes, blocks, bookmarks, direct messages). */
const SEALED_TABLES: ReadonlySet<TableName> = new Set(['private'])
/** App database entries that are sealed: all but the identity record, which seals itself. */
const APP_DB_KEYS: readonly AppDbKey[] = [
  'settings',
  'snapshot',
  'outbox',
  'peerKey',
  'community',
  'refCounts',
  'syncCursors',
  'subscriptionCursors',
  'vettedRelays',
  'mailboxCursors',
]
const RESEAL_BATCH = 200

interface Codec {
  sealer?: ValueSealer
  sealWrites: boolean
}

const newCodec = (): Codec => ({ sealWrites: false })

/** Opens a sealed value; undefined without the key or under another identity's key. */
function openValue(codec: Codec, value: Uint8Array): Uint8Array | undefined {
  if (!isSealedValue(value)) return value
  try {
    return codec.sealer?.open(value)
  } catch {
    return undefined
  }
}

const writeValue = (codec: Codec, value: Uint8Array): Uint8Array => (codec.sealWrites && codec.sealer ? codec.sealer.seal(value) : value)

/** The control both wrappers give: `rewriteAll` reads every sealable value and writes it back. */
function atRestControl(codec: Codec, rewriteAll: () => Promise<void>): AtRestControl {
  return {
    unlock(sealer, sealWrites) {
      Object.assign(codec, { sealer, sealWrites })
    },
    async reseal(sealWrites) {
      codec.sealWrites = sealWrites
      await rewriteAll()
    },
  }
}

export function sealStorage(inner: Storage): Storage & AtRestControl {
  const codec = newCodec()
  const openEntries = (table: TableName, rows: StorageEntry[]): StorageEntry[] => {
    if (!SEALED_TABLES.has(table)) return rows
    const out: StorageEntry[] = []
    for (const row of rows) {
      const value = openValue(codec, row.value)
      if (value !== undefined) out.push({ key: row.key, value })
    }
    return out
  }
  const storage: Storage = {
    async get(table, key) {
      const value = await inner.get(table, key)
      return value === undefined || !SEALED_TABLES.has(table) ? value : openValue(codec, value)
    },
    async getMany(table, keys) {
      const values = await inner.getMany(table, keys)
      return SEALED_TABLES.has(table) ? values.map((v) => (v === undefined ? v : openValue(codec, v))) : values
    },
    range: async (table, query) => openEntries(table, await inner.range(table, query)),
    rangeKeys: (table, query) => inner.rangeKeys(table, query),
    write(ops, options) {
      const sealed = ops.map((op): WriteOp => (op.type === 'put' && SEALED_TABLES.has(op.table) ? { ...op, value: writeValue(codec, op.value) } : op))
      return inner.write(sealed, options)
    },
    close: () => inner.close(),
  }
  return {
    ...storage,
    ...atRestControl(codec, async () => {
      for (const table of SEALED_TABLES) {
        let after: string | undefined
        for (;;) {
          const rows = openEntries(table, await inner.range(table, { ...(after === undefined ? {} : { after }), limit: RESEAL_BATCH }))
          if (rows.length === 0) break
          await storage.write(rows.map((r) => ({ type: 'put', table, key: r.key, value: r.value })))
          after = rows[rows.length - 1]!.key
        }
      }
    }),
  }
}

// App database values are structured-clone objects: sealed as JSON text, bytes as base64url.
const BYTES_TAG = '\u0000bytes'
const encodeAppValue = (value: unknown): Uint8Array =>
  utf8Encode(JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? { [BYTES_TAG]: toBase64Url(v) } : v)))
const decodeAppValue = (bytes: Uint8Array): unknown =>
  JSON.parse(utf8Decode(bytes), (_k, v: unknown) => {
    const tagged = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[BYTES_TAG] : undefined
    return typeof tagged === 'string' ? fromBase64Url(tagged) : v
  })

interface SealedRecord {
  readonly sealedValue: Uint8Array
}
const isSealedRecord = (v: unknown): v is SealedRecord => typeof v === 'object' && v !== null && (v as SealedRecord).sealedValue instanceof Uint8Array

export function sealAppDb(inner: AppDb): AppDb & AtRestControl {
  const codec = newCodec()
  const sealedKeys: ReadonlySet<AppDbKey> = new Set(APP_DB_KEYS)
  const db: AppDb = {
    async get<T>(key: AppDbKey) {
      const stored = await inner.get<unknown>(key)
      if (!isSealedRecord(stored)) return stored as T | undefined
      const bytes = openValue(codec, stored.sealedValue)
      return bytes === undefined ? undefined : (decodeAppValue(bytes) as T)
    },
    async put(key, value) {
      const seal = codec.sealWrites && codec.sealer && sealedKeys.has(key)
      await inner.put(key, seal ? ({ sealedValue: codec.sealer!.seal(encodeAppValue(value)) } satisfies SealedRecord) : value)
    },
    delete: (key) => inner.delete(key),
    close: () => inner.close(),
  }
  return {
    ...db,
    ...atRestControl(codec, async () => {
      for (const key of APP_DB_KEYS) {
        const value = await db.get(key)
        if (value !== undefined) await db.put(key, value)
      }
    }),
  }
}
