// The profile form's fields, shared by onboarding and the profile editor: name and bio with
// counters in graphemes (the protocol's unit, so Chinese and emoji count as people expect; an
// input's maxLength counts UTF-16 units and would cut an emoji name short), and the avatar file.
import { MAX_PROFILE_BIO_GRAPHEMES, MAX_PROFILE_NAME_GRAPHEMES } from '../../core/limits.ts'
import { countGraphemes } from '../../core/text.ts'
import { readAvatarFile } from '../lib/avatar-image.ts'
import { useI18n } from './i18n-context.ts'

export interface ProfileFieldsProps {
  name: string
  bio: string
  onName(name: string): void
  onBio(bio: string): void
  onAvatar(avatar: string | undefined): void
  namePlaceholder?: string
  bioRows: number
}

/** Whether the fields can be saved: a name, and both within the protocol's limits. */
export function profileFieldsValid(name: string, bio: string): boolean {
  const trimmed = name.trim()
  return trimmed !== '' && countGraphemes(trimmed) <= MAX_PROFILE_NAME_GRAPHEMES && countGraphemes(bio.trim()) <= MAX_PROFILE_BIO_GRAPHEMES
}

export function ProfileFields(props: ProfileFieldsProps) {
  const { t } = useI18n()
  return (
    <>
      <label>
        {t('onboard.name')}
        <input name="name" required placeholder={props.namePlaceholder} value={props.name} onInput={(e) => props.onName(e.currentTarget.value)} />
        <Counter text={props.name.trim()} max={MAX_PROFILE_NAME_GRAPHEMES} />
      </label>
      <label>
        {t('onboard.bio')}
        <textarea name="bio" rows={props.bioRows} value={props.bio} onInput={(e) => props.onBio(e.currentTarget.value)} />
        <Counter text={props.bio.trim()} max={MAX_PROFILE_BIO_GRAPHEMES} />
      </label>
      <label>
        {t('onboard.avatar')}
        <input
          type="file"
          accept="image/*"
          onChange={(e) => {
            const file = e.currentTarget.files?.[0]
            if (file) void readAvatarFile(file).then(props.onAvatar, () => props.onAvatar(undefined))
          }}
        />
      </label>
    </>
  )
}

function Counter(props: { text: string; max: number }) {
  const { t } = useI18n()
  const n = countGraphemes(props.text)
  const over = n > props.max
  return (
    <span class={`counter${over ? ' over' : ''}`} aria-live="polite">
      {t('compose.counter', { n, max: props.max })}
      {over ? ` ${t('compose.tooLong')}` : ''}
    </span>
  )
}
