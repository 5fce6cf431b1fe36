// protocol/limits.md is the specification's table of limits; the code has its own constants.
// Every row that names a constant must give that constant's value, and every limit constant of
// src/core/limits.ts must appear in the table, so the two cannot drift apart.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as coreLimits from '../../../src/core/limits.ts'
import * as core from '../../../src/core/index.ts'
import * as release from '../../../src/core/release-manifest.ts'
import * as blobToken from '../../../src/core/blob-token.ts'
import { MAX_GOSSIP_MESSAGE_BYTES } from '../../../src/net/gossip-config.ts'
import { CHALLENGE_BYTES, MAX_MAIL_PER_FRAME, MAX_MAILBOX_FRAME_BYTES, MAX_OPEN_BOXES, MAX_WAIT_MS } from '../../../src/net/mailbox-frames.ts'
import { MAX_ANNOUNCEMENT_BYTES } from '../../../src/net/peer-announcer.ts'
import { MAX_KNOWN_RELAYS } from '../../../src/net/relay-pool.ts'
import { MAX_GET_IDS, MAX_ITEMS_PER_RECONCILE_FRAME, MAX_NEG_MESSAGE_BYTES, MAX_NEG_ROUNDS, MAX_PUSH_ITEMS, MAX_RECONCILE_FRAME_BYTES } from '../../../src/net/reconcile/frames.ts'
import { FINGERPRINT_BYTES, ITEM_ID_BYTES } from '../../../src/net/reconcile/negentropy.ts'
import { MAX_RECONCILE_SESSIONS } from '../../../src/net/reconcile/server.ts'
import * as sync from '../../../src/net/sync/limits.ts'
import { COMMUNITY_CACHE_MAX_BYTES, COMMUNITY_CACHE_MAX_EVENTS } from '../../../src/store/community-cache.ts'
import { DOCUMENT_CACHE_MAX_BYTES, DOCUMENT_CACHE_MAX_DOCS } from '../../../src/store/document-cache.ts'
import { MAX_PROFILE_AVATAR_CHARS } from '../../../src/store/feed-doc.ts'
import * as lists from '../../../src/store/lists.ts'
import { SINCE_GRANULARITY_MS } from '../../../src/store/private-doc.ts'
import { BLOB_UPLOAD_BURST, BLOB_UPLOADS_PER_MINUTE } from '../../../src/relay/blob-http.ts'
import { BLOB_CACHE_MAX_BYTES } from '../../../src/app/wiring/blob-cache.ts'
import { BLOB_FETCH_TIMEOUT_MS } from '../../../src/net/blob-client.ts'
import { BLOB_STREAMS_PER_CONNECTION, BLOB_STREAMS_PER_PEER, MAX_BLOB_RESPONSE_BYTES } from '../../../src/net/blob-frames.ts'
import { BLOB_REQUEST_TIMEOUT_MS, BLOB_SEND_TIMEOUT_MS, MAX_BLOB_STREAMS } from '../../../src/relay/blob-stream.ts'
import { BLOB_GRACE_MS, BLOB_QUOTA_NEW_BYTES, BLOB_QUOTA_STANDING_BYTES, DEFAULT_BLOB_CAP_BYTES } from '../../../src/relay/blob-store.ts'

const constants: Record<string, unknown> = {
  ...coreLimits,
  ...core,
  ...release,
  ...sync,
  ...lists,
  ...blobToken,
  BLOB_UPLOAD_BURST,
  BLOB_UPLOADS_PER_MINUTE,
  BLOB_GRACE_MS,
  BLOB_QUOTA_NEW_BYTES,
  BLOB_QUOTA_STANDING_BYTES,
  DEFAULT_BLOB_CAP_BYTES,
  MAX_BLOB_RESPONSE_BYTES,
  BLOB_STREAMS_PER_PEER,
  BLOB_STREAMS_PER_CONNECTION,
  MAX_BLOB_STREAMS,
  BLOB_REQUEST_TIMEOUT_MS,
  BLOB_SEND_TIMEOUT_MS,
  BLOB_FETCH_TIMEOUT_MS,
  BLOB_CACHE_MAX_BYTES,
  CHALLENGE_BYTES,
  MAX_MAIL_PER_FRAME,
  MAX_MAILBOX_FRAME_BYTES,
  MAX_OPEN_BOXES,
  MAX_WAIT_MS,
  SINCE_GRANULARITY_MS,
  MAX_GOSSIP_MESSAGE_BYTES,
  MAX_ANNOUNCEMENT_BYTES,
  MAX_KNOWN_RELAYS,
  MAX_RECONCILE_FRAME_BYTES,
  MAX_NEG_MESSAGE_BYTES,
  MAX_GET_IDS,
  MAX_ITEMS_PER_RECONCILE_FRAME,
  MAX_NEG_ROUNDS,
  MAX_PUSH_ITEMS,
  MAX_RECONCILE_SESSIONS,
  ITEM_ID_BYTES,
  FINGERPRINT_BYTES,
  MAX_PROFILE_AVATAR_CHARS,
  COMMUNITY_CACHE_MAX_EVENTS,
  COMMUNITY_CACHE_MAX_BYTES,
  DOCUMENT_CACHE_MAX_DOCS,
  DOCUMENT_CACHE_MAX_BYTES,
}

/** Table rows of limits.md: [limit, value, unit, beyond it, constant, spec]. */
function rows(): string[][] {
  const text = readFileSync(new URL('../../../protocol/limits.md', import.meta.url), 'utf8')
  return text
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| limit |'))
    .map((l) =>
      l
        .slice(1, -1)
        .split(' | ')
        .map((c) => c.trim()),
    )
}

describe('protocol/limits.md', () => {
  const named = rows().filter((r) => /^`[A-Z_]+`$/.test(r[4] ?? ''))

  it('names a value and a unit for every limit', () => {
    for (const r of rows()) {
      expect(r, r.join(' | ')).toHaveLength(6)
      expect(r[1], r[0]).toMatch(/^\d+$/)
      expect(r[2], r[0]).not.toBe('')
    }
  })

  it('gives every named constant its value in the code', () => {
    expect(named.length).toBeGreaterThan(40)
    for (const [limit, value, , , constant] of named) {
      const name = constant!.slice(1, -1)
      expect(constants[name], `${name} (${limit}) is not exported`).toBeTypeOf('number')
      expect(constants[name], `${name} (${limit})`).toBe(Number(value))
    }
  })

  it('lists every limit constant of src/core/limits.ts', () => {
    const listed = new Set(named.map((r) => r[4]!.slice(1, -1)))
    for (const name of Object.keys(coreLimits)) expect(listed, name).toContain(name)
  })
})
