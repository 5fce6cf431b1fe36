// The profile form's limits are the protocol's, counted in graphemes (protocol/limits.md): a
// name of 30 family emoji is 30 graphemes but 330 UTF-16 units, which an input's maxLength of
// 50 used to cut to four and a half.
import { describe, expect, it } from 'vitest'
import { MAX_PROFILE_BIO_GRAPHEMES, MAX_PROFILE_NAME_GRAPHEMES } from '../../../src/core/limits.ts'
import { profileFieldsValid } from '../../../src/app/ui/profile-fields.tsx'

const family = '👨‍👩‍👧‍👦'

describe('profile fields', () => {
  it('accepts a name and bio within the limits in graphemes, whatever their UTF-16 length', () => {
    expect(family.repeat(30).length).toBeGreaterThan(MAX_PROFILE_NAME_GRAPHEMES)
    expect(profileFieldsValid(family.repeat(30), '')).toBe(true)
    expect(profileFieldsValid('野'.repeat(MAX_PROFILE_NAME_GRAPHEMES), '草'.repeat(MAX_PROFILE_BIO_GRAPHEMES))).toBe(true)
  })

  it('refuses an empty name and fields past the limits', () => {
    expect(profileFieldsValid('   ', 'bio')).toBe(false)
    expect(profileFieldsValid('野'.repeat(MAX_PROFILE_NAME_GRAPHEMES + 1), '')).toBe(false)
    expect(profileFieldsValid('name', family.repeat(MAX_PROFILE_BIO_GRAPHEMES + 1))).toBe(false)
  })
})
