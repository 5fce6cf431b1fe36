// Posts named on screen but not held are asked of the relays in batches, each id once a while.
import { describe, expect, it } from 'vitest'
import type { EventId } from '../../../src/core/types.ts'
import { createMissingPosts } from '../../../src/app/wiring/missing-posts.ts'

const id = (n: number) => `id-${n}` as EventId
const tick = () => new Promise((r) => setTimeout(r, 0))

describe('missing posts', () => {
  it('asks in one batch for what one repaint found missing, and not again on the next repaint', async () => {
    const asked: EventId[][] = []
    const missing = createMissingPosts(async (ids) => void asked.push([...ids]))
    for (const n of [1, 2, 3, 2]) missing(id(n))
    await tick()
    for (const n of [1, 2, 3]) missing(id(n))
    await tick()
    expect(asked).toEqual([[id(1), id(2), id(3)]])
  })

  it('asks again for an id after five minutes, and a failing fetch does not throw', async () => {
    let now = 0
    const asked: EventId[][] = []
    const missing = createMissingPosts(
      async (ids) => {
        asked.push([...ids])
        throw new Error('no relay')
      },
      () => now,
    )
    missing(id(1))
    await tick()
    now = 4 * 60_000
    missing(id(1))
    await tick()
    now = 5 * 60_000 + 1
    missing(id(1))
    await tick()
    expect(asked).toEqual([[id(1)], [id(1)]])
  })
})
