// Feed documents through the store: local signed changes, two devices of one identity
// merging offline edits, and every kind of bad change refused with nothing of it stored.
import { describe, expect, it } from 'vitest'
import { generateSecretKey, getPublicKey } from '../../../src/core/keys.ts'
import { encodeDidKey } from '../../../src/core/did-key.ts'
import { decodeChangeEnvelope, signChange } from '../../../src/core/feed-envelope.ts'
import { loadAutomerge } from '../../../src/store/automerge.ts'
import { createFeedDoc, getGenesisChange } from '../../../src/store/feed-doc.ts'
import { createStore } from '../../../src/store/create-store.ts'
import { createMemoryData, createMemoryStorage } from '../../../src/store/memory-storage.ts'
import type { SecretKey } from '../../../src/core/types.ts'

const T0 = Date.UTC(2026, 0, 1)

function device(secret: SecretKey, data = createMemoryData()) {
  let t = T0
  const store = createStore({ storage: createMemoryStorage({ data }), secret, now: () => (t += 1000) })
  return { store, data }
}

const someone = () => encodeDidKey(getPublicKey(generateSecretKey()))

describe('feed documents', () => {
  it('genesis is the same everywhere (protocol/feed-document.md §Genesis)', async () => {
    const am = await loadAutomerge()
    const g = getGenesisChange(am)
    // Automerge 3.5; if an Automerge upgrade ever changes this, the protocol has changed
    expect(g.hash).toBe('c734bcfe355462d970fa2f4ed0ebe765bf227fa259899363326da4c08334ddaf')
    const a = createFeedDoc(am)
    const b = createFeedDoc(am)
    expect(am.getHeads(a)).toEqual([g.hash])
    expect(am.getHeads(b)).toEqual([g.hash])
  })

  it('two devices of one identity edit offline and merge without loss', async () => {
    const secret = generateSecretKey()
    const a = device(secret).store
    const b = device(secret).store
    await Promise.all([a.start(), b.start()])
    const [x, y, z] = [someone(), someone(), someone()]
    const sent: Uint8Array[] = []
    const got: Uint8Array[] = []
    a.subscribe((c) => {
      if (c.type === 'changes' && c.local) sent.push(...c.envelopes)
    })
    b.subscribe((c) => {
      if (c.type === 'changes' && c.local) got.push(...c.envelopes)
    })
    await a.follow(x)
    await a.follow(z)
    await a.post({ text: 'from the laptop 野草' })
    await a.editProfile({ name: '野草', bio: 'laptop bio' })
    await b.follow(y)
    expect((await b.unfollow(z)).envelopes).toEqual([]) // never followed here: no change at all
    expect((await b.editProfile({})).envelopes).toEqual([])
    await b.post({ text: 'from the phone' })
    await b.editProfile({ avatar: 'data:image/png;base64,iVBORw0KGgo=' })
    expect(sent.length).toBe(4)
    const ra = await a.ingestChanges(got)
    const rb = await b.ingestChanges(sent)
    expect([...ra, ...rb].every((r) => r.ok)).toBe(true)
    const me = a.me!
    expect(await a.getHeads(me)).toEqual(await b.getHeads(me))
    expect((await a.getHeads(me)).length).toBeGreaterThan(0)
    expect(new Set(await a.getFollows(me))).toEqual(new Set([x, y, z]))
    expect(new Set(await b.getFollows(me))).toEqual(new Set([x, y, z]))
    expect(await a.getProfile(me)).toEqual({ name: '野草', bio: 'laptop bio', avatar: 'data:image/png;base64,iVBORw0KGgo=' })
    expect(await b.getProfile(me)).toEqual(await a.getProfile(me))
    expect((await a.indexedEventIds(me)).length).toBe(2)
    expect(new Set(await b.indexedEventIds(me))).toEqual(new Set(await a.indexedEventIds(me)))
    // the phone lacks the laptop's post body: the signed index names it
    expect((await b.missingEventIds(await b.indexedEventIds(me))).length).toBe(1)
    // replaying is idempotent
    const again = await a.ingestChanges(got)
    expect(again.every((r) => r.ok && r.duplicate)).toBe(true)
  })

  it('serves changes since heads, and a third replica catches up from them alone', async () => {
    const secret = generateSecretKey()
    const a = device(secret).store
    const reader = device(generateSecretKey()).store
    await a.start()
    const me = a.me!
    await a.follow(someone())
    const mid = await a.getHeads(me)
    await a.post({ text: 'second' })
    await a.editProfile({ name: 'A' })
    expect((await a.getChangesSince(me, mid)).length).toBe(2)
    expect((await a.getChangesSince(me, ['00'.repeat(32)])).length).toBe(3) // unknown heads: as for []
    // malformed heads (not 64 hex digits) are unknown heads too, not an Automerge RangeError
    expect((await a.getChangesSince(me, ['zz', '', 'AB'.repeat(32)])).length).toBe(3)
    const all = await a.getChangesSince(me, [])
    expect(all.length).toBe(3)
    const results = await reader.ingestChanges(all)
    expect(results.every((r) => r.ok && !r.duplicate)).toBe(true)
    expect(await reader.getHeads(me)).toEqual(await a.getHeads(me))
    expect((await reader.getProfile(me)).name).toBe('A')
    expect(await reader.listAuthors()).toContain(me)
    expect(await reader.getChangesSince(me, [])).toEqual(all)
  })

  it('a reader shows only the profile values the schema allows, whatever the owner signed', async () => {
    const am = await loadAutomerge()
    const owner = generateSecretKey()
    const reader = device(generateSecretKey()).store
    // the owner's client skipped checkProfilePatch: its signed change is still the owner's word
    const doc = am.change(createFeedDoc(am), (d) => {
      d.profile.avatar = 'data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg"/>'
      d.profile.name = 'mallory'
      d.profile.bio = '长'.repeat(301)
    })
    expect(await reader.ingestChange(signChange(owner, am.getLastLocalChange(doc)!).bytes)).toMatchObject({ ok: true })
    expect(await reader.getProfile(encodeDidKey(getPublicKey(owner)))).toEqual({ name: 'mallory', bio: '', avatar: '' })
    // the writer's own check: C1 controls are control characters too (U+0085 is NEL)
    await expect(reader.editProfile({ name: 'a\u0085b' })).rejects.toMatchObject({ code: 'E_BAD_TEXT' })
    await expect(reader.editProfile({ bio: 'line one\nline\ttwo' })).resolves.toBeDefined()
  })

  it('refuses bad changes with a typed reason and stores nothing of them', async () => {
    const owner = generateSecretKey()
    const a = device(owner).store
    await a.start()
    await a.follow(someone())
    const [good] = await a.getChangesSince(a.me!, [])
    const { store: reader, data } = device(generateSecretKey())
    await reader.start()
    const mallory = generateSecretKey()
    const envelope = decodeChangeEnvelope(good!)
    // signed by mallory but claiming the owner: swap in the owner's author bytes
    const forged = signChange(mallory, envelope.change)
    const tampered = good!.slice()
    tampered[tampered.length - 1]! ^= 1
    const junk = signChange(owner, new Uint8Array([1, 2, 3, 4, 5]))
    const results = await reader.ingestChanges([
      new Uint8Array([0xa1, 0x61]), // malformed CBOR
      tampered, // bad signature
      junk.bytes, // signed by the owner, but not an Automerge change
    ])
    expect(results.map((r) => (r.ok ? 'ok' : r.code))).toEqual(['E_TRUNCATED', 'E_BAD_SIGNATURE', 'E_BAD_CHANGE'])
    // another author's envelope offered as the owner's: E_WRONG_AUTHOR
    const wrong = await reader.ingestChanges([forged.bytes], a.me)
    expect(wrong[0]).toMatchObject({ ok: false, code: 'E_WRONG_AUTHOR' })
    // unsigned: the bare Automerge change
    const bare = await reader.ingestChange(envelope.change)
    expect(bare.ok).toBe(false)
    expect(data.tables.get('changes')!.values.size).toBe(0)
    expect(data.tables.get('docs')!.values.size).toBe(0)
    expect(await reader.listAuthors()).toEqual([])
    // in one batch with bad ones, the good one still goes in
    const mixed = await reader.ingestChanges([junk.bytes, good!, tampered, forged.bytes])
    // (mallory re-signing the owner's change makes it a statement in mallory's own document only)
    expect(mixed.map((r) => (r.ok ? 'ok' : r.code))).toEqual(['E_BAD_CHANGE', 'ok', 'E_BAD_SIGNATURE', 'ok'])
    expect(new Set(await reader.listAuthors())).toEqual(new Set([a.me, encodeDidKey(getPublicKey(mallory))]))
    expect(await reader.getHeads(a.me!)).toEqual(await a.getHeads(a.me!))
  })

  it("reopening brings the documents back, and keeps this device's actor", async () => {
    const secret = generateSecretKey()
    const { store, data } = device(secret)
    await store.start()
    const x = someone()
    await store.follow(x)
    await store.editProfile({ name: '野草' })
    for (let i = 0; i < 70; i++) await store.post({ text: `post ${i}` }) // crosses a compaction
    const heads = await store.getHeads(store.me!)
    await store.close()
    const again = device(secret, data).store
    await again.start()
    expect(await again.getHeads(again.me!)).toEqual(heads)
    expect(await again.getFollows(again.me!)).toEqual([x])
    expect((await again.indexedEventIds(again.me!)).length).toBe(70)
    await again.post({ text: 'after reopening' })
    expect((await again.getChangesSince(again.me!, heads)).length).toBe(1)
    expect((await again.getChangesSince(again.me!, [])).length).toBe(73)
  })
})
