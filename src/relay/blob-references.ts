// Which stored posts name which blobs (protocol/blobs.md §Deletion): a post with images that the
// archive stores keeps its photos (markReferenced); when a retraction purges it, the photos its
// author no longer names in any post held here go too (deleteForAuthor). Kept in the relay's
// SQLite file beside the blobs, by event, because a purge names events, not blobs.
import type { DatabaseSync } from 'node:sqlite'
import type { SignedEvent } from '../core/types.ts'
import type { Store } from '../store/types.ts'
import type { BlobStore } from './blob-store.ts'

/** The blobs a post names: its photos and their thumbnails. */
export function blobsOf(e: SignedEvent): string[] {
  if (e.kind !== 'post' || e.body.images === undefined) return []
  return [...new Set(e.body.images.flatMap((i) => [i.sha256, ...(i.thumb === undefined ? [] : [i.thumb])]))]
}

/** Follows the store's writes for the blob store; returns the unsubscribe. */
export function trackBlobReferences(
  db: DatabaseSync,
  store: Pick<Store, 'subscribe'>,
  blobs: Pick<BlobStore, 'markReferenced' | 'deleteForAuthor'>,
): () => void {
  db.exec(`CREATE TABLE IF NOT EXISTS relay_blob_events (event TEXT NOT NULL, sha256 TEXT NOT NULL, author TEXT NOT NULL, PRIMARY KEY (event, sha256)) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS relay_blob_events_by_blob ON relay_blob_events (author, sha256);`)
  const add = db.prepare('INSERT OR IGNORE INTO relay_blob_events (event, sha256, author) VALUES (?, ?, ?)')
  const named = db.prepare('SELECT sha256, author FROM relay_blob_events WHERE event = ?')
  const drop = db.prepare('DELETE FROM relay_blob_events WHERE event = ?')
  const stillNamed = db.prepare('SELECT 1 FROM relay_blob_events WHERE author = ? AND sha256 = ? LIMIT 1')

  return store.subscribe((change) => {
    if (change.type === 'events') {
      for (const e of change.events) {
        const shas = blobsOf(e)
        if (shas.length === 0) continue
        for (const sha of shas) add.run(e.id, sha, e.author)
        blobs.markReferenced(e.author, shas)
      }
    } else if (change.type === 'purged') {
      for (const id of change.ids) {
        const rows = named.all(id) as Array<{ sha256: string; author: string }>
        if (rows.length === 0) continue
        drop.run(id)
        // another post of the same author may show the same photo: it stays while one does
        const gone = rows.filter((r) => stillNamed.get(r.author, r.sha256) === undefined)
        if (gone.length > 0)
          blobs.deleteForAuthor(
            gone[0]!.author,
            gone.map((r) => r.sha256),
          )
      }
    }
  })
}
