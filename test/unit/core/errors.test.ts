import { describe, expect, it } from 'vitest'
import { WildgrassError, fail, isWildgrassError } from '../../../src/core/errors.ts'

describe('typed errors', () => {
  it('carry a stable code and keep the cause', () => {
    const cause = new Error('inner')
    let caught: unknown
    try {
      fail('E_MALFORMED', 'not a map', cause)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(WildgrassError)
    expect(isWildgrassError(caught, 'E_MALFORMED')).toBe(true)
    expect(isWildgrassError(caught, 'E_OVERSIZE')).toBe(false)
    expect((caught as Error).cause).toBe(cause)
  })
})
