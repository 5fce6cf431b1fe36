// Work a screen needs once (a stranger's profile, a thread's replies): done once it succeeded,
// tried again when asked after it could not run or failed, never twice at a time.
import { describe, expect, it } from 'vitest'
import { createFetchOnce } from '../../../src/app/wiring/fetch-once.ts'

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0))

describe('createFetchOnce', () => {
  it('asked again while offline and after a failure, it runs again; once it succeeded, never', async () => {
    const outcomes: Array<boolean | Error> = [false, new Error('relay cut the stream'), true]
    const runs: string[] = []
    const fetch = createFetchOnce(async (key: string) => {
      runs.push(key)
      const next = outcomes.shift()!
      if (next instanceof Error) throw next
      return next
    })
    for (let i = 0; i < 5; i++) {
      fetch('thread-1')
      await settle()
    }
    expect(runs).toEqual(['thread-1', 'thread-1', 'thread-1'])
  })

  it('does not start a second run while one is in flight, and keys are apart', async () => {
    let release!: (ok: boolean) => void
    const runs: string[] = []
    const fetch = createFetchOnce((key: string) => {
      runs.push(key)
      return key === 'a' ? new Promise<boolean>((r) => (release = r)) : Promise.resolve(true)
    })
    fetch('a')
    fetch('a')
    fetch('b')
    await settle()
    expect(runs).toEqual(['a', 'b'])
    release(true)
    await settle()
    fetch('a')
    fetch('b')
    await settle()
    expect(runs).toEqual(['a', 'b'])
  })
})
