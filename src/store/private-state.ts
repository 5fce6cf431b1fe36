// Private state (docs/architecture.md "Storage on a device"): mutes, blocks, bookmarks, settings. Stays in this
// device's storage; nothing here is ever put in a feed document or sent.
import { fail } from '../core/errors.ts'
import type { AuthorId, EventId } from '../core/types.ts'
import { priv } from './keys.ts'
import { decodeJson, encodeJson } from './json.ts'
import type { Storage } from './storage.ts'
import type { Visibility } from './queries.ts'

export interface PrivateState extends Visibility {
  load(): Promise<void>
  setMuted(author: AuthorId, on: boolean): Promise<void>
  setBlocked(author: AuthorId, on: boolean): Promise<void>
  listMuted(): AuthorId[]
  listBlocked(): AuthorId[]
  setBookmarked(id: EventId, on: boolean, at: number): Promise<void>
  getSetting(name: string): Promise<unknown>
  setSetting(name: string, value: unknown): Promise<void>
}

const EMPTY = new Uint8Array(0)

export function createPrivateState(storage: Storage): PrivateState {
  const muted = new Set<AuthorId>()
  const blocked = new Set<AuthorId>()

  async function toggle(set: Set<AuthorId>, key: string, author: AuthorId, on: boolean): Promise<void> {
    await storage.write([on ? { type: 'put', table: 'private', key, value: EMPTY } : { type: 'delete', table: 'private', key }])
    if (on) set.add(author)
    else set.delete(author)
  }

  return {
    async load() {
      for (const [set, prefix] of [
        [muted, 'mute|'],
        [blocked, 'block|'],
      ] as const) {
        set.clear()
        for (const key of await storage.rangeKeys('private', { prefix })) set.add(key.slice(prefix.length) as AuthorId)
      }
    },
    isMuted: (author) => muted.has(author),
    isBlocked: (author) => blocked.has(author),
    setMuted: (author, on) => toggle(muted, priv.mute(author), author, on),
    setBlocked: (author, on) => toggle(blocked, priv.block(author), author, on),
    listMuted: () => [...muted],
    listBlocked: () => [...blocked],
    async setBookmarked(id, on, at) {
      const existing = await storage.get('private', priv.bookmark(id))
      const ops = []
      if (existing !== undefined) {
        ops.push({ type: 'delete' as const, table: 'private' as const, key: priv.bookmarkOrder(decodeJson<number>(existing)!, id) })
        ops.push({ type: 'delete' as const, table: 'private' as const, key: priv.bookmark(id) })
      }
      if (on) {
        ops.push({ type: 'put' as const, table: 'private' as const, key: priv.bookmark(id), value: encodeJson(at) })
        ops.push({ type: 'put' as const, table: 'private' as const, key: priv.bookmarkOrder(at, id), value: EMPTY })
      }
      await storage.write(ops)
    },
    async getSetting(name) {
      return decodeJson<unknown>(await storage.get('private', priv.setting(name)))
    },
    async setSetting(name, value) {
      if (value === undefined) {
        await storage.write([{ type: 'delete', table: 'private', key: priv.setting(name) }])
        return
      }
      let bytes: Uint8Array
      try {
        bytes = encodeJson(value)
      } catch (error) {
        fail('E_MALFORMED', `setting ${name}: not JSON-serialisable`, error)
      }
      await storage.write([{ type: 'put', table: 'private', key: priv.setting(name), value: bytes }])
    },
  }
}
