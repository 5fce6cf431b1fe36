// The composer in real Chromium: its limits are the protocol's (src/core/limits.ts), so a content
// warning the protocol would refuse cannot be sent; and a post that fails keeps what was typed.
import { h, render } from 'preact'
import { expect, it } from 'vitest'
import { MAX_CW_GRAPHEMES } from '../../src/core/limits.ts'
import { createTranslator } from '../../src/app/i18n/index.ts'
import type { PostDraft } from '../../src/app/state/view-types.ts'
import { ComposeBox } from '../../src/app/ui/compose-box.tsx'
import { I18nContext } from '../../src/app/ui/i18n-context.ts'

function mount(onSubmit: (draft: PostDraft) => Promise<boolean>): {
  root: HTMLElement
  type(selector: string, value: string): Promise<void>
  submit: HTMLButtonElement
} {
  const root = document.createElement('div')
  document.body.append(root)
  render(
    h(
      I18nContext.Provider,
      { value: { language: 'en', t: createTranslator('en') } },
      h(ComposeBox, {
        context: {},
        maxGraphemes: 500,
        countGraphemes: (s: string) => [...new Intl.Segmenter().segment(s)].length,
        onSubmit,
        onCancelContext: () => undefined,
      }),
    ),
    root,
  )
  return {
    root,
    async type(selector, value) {
      const field = root.querySelector<HTMLInputElement | HTMLTextAreaElement>(selector)!
      field.value = value
      field.dispatchEvent(new Event('input', { bubbles: true }))
      await new Promise((r) => setTimeout(r, 0))
    },
    submit: root.querySelector<HTMLButtonElement>('button[type=submit]')!,
  }
}

async function openCw(root: HTMLElement): Promise<void> {
  const toggle = [...root.querySelectorAll<HTMLButtonElement>('button[type=button]')].find((b) => b.textContent === createTranslator('en')('compose.cw'))!
  toggle.click()
  await new Promise((r) => setTimeout(r, 0))
}

it(`a content warning of more than ${MAX_CW_GRAPHEMES} graphemes cannot be sent; at the limit it can`, async () => {
  const box = mount(async () => true)
  await box.type('#compose-text', '今天的猫')
  await openCw(box.root)
  await box.type('.compose-cw', '猫'.repeat(MAX_CW_GRAPHEMES + 1))
  expect(box.root.querySelector('.compose-cw')!.getAttribute('aria-invalid')).toBe('true')
  expect(box.submit.disabled).toBe(true)
  await box.type('.compose-cw', '猫'.repeat(MAX_CW_GRAPHEMES))
  expect(box.submit.disabled).toBe(false)
  render(null, box.root)
})

it('a post that fails keeps its text and content warning; one that is sent clears them', async () => {
  let answer = false
  const sent: PostDraft[] = []
  const box = mount(async (draft) => {
    sent.push(draft)
    return answer
  })
  await box.type('#compose-text', '写了很久的一段话')
  await openCw(box.root)
  await box.type('.compose-cw', '剧透')
  box.submit.click()
  await expect.poll(() => sent.length).toBe(1)
  await new Promise((r) => setTimeout(r, 0))
  expect(box.root.querySelector<HTMLTextAreaElement>('#compose-text')!.value).toBe('写了很久的一段话')
  expect(box.root.querySelector<HTMLInputElement>('.compose-cw')!.value).toBe('剧透')
  answer = true
  box.submit.click()
  await expect.poll(() => box.root.querySelector<HTMLTextAreaElement>('#compose-text')!.value).toBe('')
  expect(sent[1]).toMatchObject({ text: '写了很久的一段话', cw: '剧透' })
  render(null, box.root)
})
