// Standing (src/relay/README.md "Standing"): keys are free, so a relay cannot let a key it has
// never seen use what an author it knows may use. An author has standing here when the operator
// seeded it, when this relay first stored something of it long enough ago, or when an author
// with standing of that kind follows it (one hop of a web of trust, read from the feed documents
// this relay holds). Without standing an author gets a small budget and only part of the
// archive-wide cap, so a spammer rotating keys fills that part and no more; authors with standing
// keep the rest.
import type { DatabaseSync } from 'node:sqlite'
import type { AuthorId } from '../core/types.ts'

export type Standing = 'seed' | 'established' | 'vouched' | 'new'

export interface StandingPolicy {
  /** authors the operator vouches for (--seed) */
  readonly seeds: readonly string[]
  /** first stored here at least this long ago: established */
  readonly establishedAfterMs: number
}

export interface ArchiveStanding {
  /** this author had something stored here (now, unless it was already known) */
  seen(authors: Iterable<string>): void
  /** the standing of each author (cached for a minute: a follow takes effect within it) */
  of(authors: Iterable<string>): Promise<Map<string, Standing>>
}

/** How long a computed standing is reused. */
const CACHE_MS = 60_000
/** Followers looked at per author: enough to find one with standing, bounded for a popular one. */
const MAX_FOLLOWERS_READ = 200
const MAX_CACHED = 100_000

export function createArchiveStanding(init: {
  db: DatabaseSync
  policy: StandingPolicy
  followers: (author: AuthorId) => Promise<readonly string[]>
  now: () => number
}): ArchiveStanding {
  const { db, policy, now } = init
  const created = db.prepare("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = 'relay_first_seen'").get() === undefined
  db.exec('CREATE TABLE IF NOT EXISTS relay_first_seen (author TEXT PRIMARY KEY NOT NULL, at INTEGER NOT NULL) WITHOUT ROWID')
  // authors stored before this table existed were taken in as they were: 0 keeps them established
  if (created) db.exec('INSERT OR IGNORE INTO relay_first_seen (author, at) SELECT DISTINCT author, 0 FROM relay_log')
  const insert = db.prepare('INSERT OR IGNORE INTO relay_first_seen (author, at) VALUES (?, ?)')
  const firstSeen = db.prepare('SELECT at FROM relay_first_seen WHERE author = ?')
  const seeds = new Set(policy.seeds)
  const cache = new Map<string, { standing: Standing; at: number }>()

  const ownStanding = (author: string): Standing | undefined => {
    if (seeds.has(author)) return 'seed'
    const row = firstSeen.get(author) as { at: number } | undefined
    return row !== undefined && row.at <= now() - policy.establishedAfterMs ? 'established' : undefined
  }

  async function compute(author: string): Promise<Standing> {
    const own = ownStanding(author)
    if (own !== undefined) return own
    const followers = (await init.followers(author as AuthorId)).slice(0, MAX_FOLLOWERS_READ)
    return followers.some((f) => ownStanding(f) !== undefined) ? 'vouched' : 'new'
  }

  return {
    seen(authors) {
      const at = now()
      for (const a of authors) insert.run(a, at)
    },
    async of(authors) {
      const out = new Map<string, Standing>()
      const t = now()
      for (const author of new Set(authors)) {
        const hit = cache.get(author)
        if (hit !== undefined && t - hit.at < CACHE_MS) {
          out.set(author, hit.standing)
          continue
        }
        const standing = await compute(author)
        if (cache.size >= MAX_CACHED) cache.clear()
        cache.set(author, { standing, at: t })
        out.set(author, standing)
      }
      return out
    },
  }
}

export const hasStanding = (s: Standing | undefined): boolean => s !== undefined && s !== 'new'
