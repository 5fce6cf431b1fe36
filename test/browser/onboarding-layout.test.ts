// The welcome screen in real Chromium, with the app's styles: what arrives after the first paint
// (the invite is verified then, and a bad one is said then) does not move the buttons. A tap is
// a press and a release; a button that moves between them takes no click, on a phone as under
// a test's mouse.
import { h, render } from 'preact'
import { expect, it } from 'vitest'
import '../../src/app/styles.css'
import { createTranslator } from '../../src/app/i18n/index.ts'
import { I18nContext } from '../../src/app/ui/i18n-context.ts'
import { Onboarding } from '../../src/app/ui/onboarding.tsx'

const nothing = async (): Promise<void> => undefined

function welcome(root: HTMLElement, late: { inviterName?: string; notice?: string }): void {
  render(
    h(
      I18nContext.Provider,
      { value: { language: 'en', t: createTranslator('en') } },
      h(Onboarding, {
        ...late,
        loaded: 0,
        onPrepare: async () => '',
        onFinish: nothing,
        onRestore: nothing,
        onImportFile: nothing,
        onLanguage: () => undefined,
      }),
    ),
    root,
  )
}

const boxesOf = (root: HTMLElement) => [...root.querySelectorAll('button')].map((b) => JSON.stringify(b.getBoundingClientRect()))

it('the invite note and a notice that arrive late leave the welcome buttons where they were', async () => {
  const root = document.createElement('div')
  document.body.append(root)
  welcome(root, {})
  const before = boxesOf(root)
  expect(before.length).toBeGreaterThanOrEqual(2)
  welcome(root, { inviterName: 'Wildgrass relay 0a1b2c with a name long enough to wrap onto a second line', notice: 'This invite link is damaged.' })
  expect(boxesOf(root)).toEqual(before)
  expect(root.querySelector('.invite-note')?.textContent).toContain('Wildgrass relay 0a1b2c')
  expect(root.querySelector('.onboarding-notice')?.textContent).toBe('This invite link is damaged.')
  render(null, root)
  root.remove()
})
