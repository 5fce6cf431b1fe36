// The composer in real Chromium sends no language the person did not pick (a default taken from
// the UI, 简 or 繁, would hint at where they live); a language picked is sent as picked.
import { h, render } from 'preact'
import { expect, it } from 'vitest'
import type { PostDraft } from '../../src/app/state/view-types.ts'
import { ComposeBox } from '../../src/app/ui/compose-box.tsx'
import { I18nContext } from '../../src/app/ui/i18n-context.ts'
import { createTranslator } from '../../src/app/i18n/index.ts'

async function postWith(pickLang?: string): Promise<PostDraft> {
  const root = document.createElement('div')
  document.body.append(root)
  let sent: PostDraft | undefined
  render(
    h(
      I18nContext.Provider,
      { value: { language: 'zh-Hant', t: createTranslator('zh-Hant') } },
      h(ComposeBox, {
        context: {},
        maxGraphemes: 500,
        countGraphemes: (s: string) => [...s].length,
        onSubmit: async (draft: PostDraft) => {
          sent = draft
          return true
        },
        onCancelContext: () => undefined,
      }),
    ),
    root,
  )
  const text = root.querySelector<HTMLTextAreaElement>('#compose-text')!
  text.value = '今天天氣很好'
  text.dispatchEvent(new Event('input', { bubbles: true }))
  if (pickLang !== undefined) {
    const select = root.querySelector<HTMLSelectElement>('select')!
    select.value = pickLang
    select.dispatchEvent(new Event('change', { bubbles: true }))
  }
  await new Promise((r) => setTimeout(r, 0))
  root.querySelector<HTMLButtonElement>('button[type=submit]')!.click()
  await expect.poll(() => sent).toBeDefined()
  render(null, root)
  root.remove()
  return sent!
}

it('sends no lang by default, whatever the UI language', async () => {
  const draft = await postWith()
  expect(draft.text).toBe('今天天氣很好')
  expect(draft.lang).toBeUndefined()
})

it('sends the language the person picked', async () => {
  expect((await postWith('zh-Hant')).lang).toBe('zh-Hant')
})
