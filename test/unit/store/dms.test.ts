// Direct messages in the store (protocol/direct-messages.md §7): a blocked sender is refused,
// strangers are refused only when requests are refused (unless I wrote first), deposits wait
// until a relay took them, and turning private follows off brings the follows back to public.
import { describe, expect, it } from 'vitest'
import { encodeDidKey } from '../../../src/core/did-key.ts'
import { createDmIdentity } from '../../../src/core/dm-seal.ts'
import { generateSecretKey, getPublicKey } from '../../../src/core/keys.ts'
import type { PublicKey } from '../../../src/core/types.ts'
import { createStore } from '../../../src/store/create-store.ts'
import { createMemoryStorage } from '../../../src/store/memory-storage.ts'

async function person() {
  const secret = generateSecretKey()
  const store = createStore({ storage: createMemoryStorage(), secret })
  await store.start()
  return { secret, store, id: encodeDidKey(getPublicKey(secret)), key: getPublicKey(secret) as PublicKey, dms: await store.directMessages() }
}

describe('direct messages in the store', () => {
  it('refuses a blocked sender; a stranger only when requests are refused and I never wrote to them', async () => {
    const b = await person()
    const stranger = await person()
    const friend = await person()
    const seal = async (from: typeof b, text: string) =>
      (await createDmIdentity(from.secret)).seal(b.key, { id: crypto.getRandomValues(new Uint8Array(16)), to: b.key, ts: Date.now(), text })
    expect(await b.dms.receive([await seal(stranger, 'hi')])).toMatchObject([{ ok: true, message: { peer: stranger.id } }])
    await b.store.editPrivate({ type: 'setting', name: 'refuseRequests', on: true })
    const other = await person()
    expect(await b.dms.receive([await seal(other, 'hi again')])).toMatchObject([{ ok: false, code: 'refused' }])
    // someone I wrote to first is no stranger, someone I follow neither
    await b.dms.send(other.id, 'hello, may I?')
    expect(await b.dms.receive([await seal(other, 'yes')])).toMatchObject([{ ok: true }])
    await b.store.follow(friend.id)
    expect(await b.dms.receive([await seal(friend, 'from a friend')])).toMatchObject([{ ok: true }])
    await b.store.block(friend.id)
    expect(await b.dms.receive([await seal(friend, 'after the block')])).toMatchObject([{ ok: false, code: 'refused' }])
    expect((await b.dms.conversations()).map((c) => c.peer).sort()).toEqual([stranger.id, other.id, friend.id].sort())
  })

  it('keeps deposits until a relay took them', async () => {
    const a = await person()
    const b = await person()
    const { message, deposits } = await a.dms.send(b.id, '在吗？')
    expect(deposits).toHaveLength(2)
    expect((await a.dms.messages(b.id))[0]).toMatchObject({ text: '在吗？', out: true, pending: true })
    expect((await a.dms.pendingDeposits()).map((p) => p.id)).toEqual([message.id])
    await a.dms.markDeposited(message.id)
    expect(await a.dms.pendingDeposits()).toEqual([])
    expect((await a.dms.messages(b.id))[0]).toMatchObject({ pending: false })
    // B opens the first deposit; A's device gets its own copy back as a replay
    expect(await b.dms.receive([deposits[0]!.msg])).toMatchObject([{ ok: true, message: { text: '在吗？', peer: a.id } }])
    expect(await a.dms.receive([deposits[1]!.msg])).toMatchObject([{ ok: false, code: 'E_REPLAYED' }])
  })

  it('private follows off: the follows come back to the public list', async () => {
    const me = await person()
    const x = (await person()).id
    await me.store.setPrivateFollows(true)
    await me.store.followPrivately(x)
    expect(await me.store.getFollows(me.id)).toEqual([x])
    await me.store.setPrivateFollows(false)
    expect(await me.store.getFollows(me.id)).toEqual([x])
    expect((await me.store.privateView()).follows.size).toBe(0)
    const third = createStore({ storage: createMemoryStorage() })
    await third.ingestChanges(await me.store.getChangesSince(me.id, []))
    expect(await third.getFollows(me.id)).toEqual([x])
  })
})
