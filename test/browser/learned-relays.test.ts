// Settings' list of relays others announced, in real Chromium: each shown as text with whether it
// ever answered this device; "Use this relay" hands exactly that address to addRelay; a refusal is
// said in words and the list stays; nothing is shown when nothing was learned.
import { h, render } from 'preact'
import { expect, it } from 'vitest'
import { createTranslator } from '../../src/app/i18n/index.ts'
import { describeError } from '../../src/app/lib/describe-error.ts'
import type { LearnedRelay } from '../../src/app/state/view-types.ts'
import { I18nContext } from '../../src/app/ui/i18n-context.ts'
import { LearnedRelays } from '../../src/app/ui/learned-relays.tsx'

const t = createTranslator('en')
const ANNOUNCED = '/dns4/relay.example/tcp/443/tls/ws/p2p/12D3KooWAnnounced'
const REACHED = '/ip4/203.0.113.7/tcp/443/tls/ws/p2p/12D3KooWReached<b>'

function show(learned: readonly LearnedRelay[], onUse: (address: string) => Promise<void>): HTMLElement {
  const root = document.createElement('div')
  document.body.append(root)
  render(h(I18nContext.Provider, { value: { language: 'en', t } }, h(LearnedRelays, { learned, onUse })), root)
  return root
}

function done(root: HTMLElement): void {
  render(null, root)
  root.remove()
}

it('lists each learned relay as text, says which answered, and uses the one pressed', async () => {
  const used: string[] = []
  const root = show(
    [
      { address: ANNOUNCED, proven: false },
      { address: REACHED, proven: true },
    ],
    async (address) => {
      used.push(address)
    },
  )
  try {
    const items = [...root.querySelectorAll('li')]
    expect(items.map((li) => li.querySelector('code')!.textContent)).toEqual([ANNOUNCED, REACHED])
    // an address is text, never markup
    expect(root.querySelector('b')).toBeNull()
    expect(items[0]!.textContent).not.toContain(t('settings.learnedRelayAnswered'))
    expect(items[1]!.textContent).toContain(t('settings.learnedRelayAnswered'))
    items[1]!.querySelector('button')!.click()
    await expect.poll(() => used).toEqual([REACHED])
  } finally {
    done(root)
  }
})

it('says why a relay could not be used, and keeps the list', async () => {
  const root = show([{ address: ANNOUNCED, proven: false }], async () => {
    throw Object.assign(new Error('E_MALFORMED: bad address'), { code: 'E_MALFORMED' })
  })
  try {
    root.querySelector('button')!.click()
    await expect.poll(() => root.querySelector('[role=alert]')?.textContent).toBe(describeError(t, 'E_MALFORMED'))
    expect(root.querySelectorAll('li')).toHaveLength(1)
  } finally {
    done(root)
  }
})

it('shows nothing when no relay was learned', () => {
  const root = show([], async () => undefined)
  try {
    expect(root.textContent).toBe('')
  } finally {
    done(root)
  }
})
