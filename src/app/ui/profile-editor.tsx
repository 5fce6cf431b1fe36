// Edit my profile: name, bio, avatar. The change is signed and published in my feed document.
import { useState } from 'preact/hooks'
import { readAvatarFile } from '../lib/avatar-image.ts'
import type { ProfileDraft, ProfileView } from '../state/view-types.ts'
import { Avatar } from './avatar.tsx'
import { useI18n } from './i18n-context.ts'

export function ProfileEditor(props: { profile: ProfileView; onSave: (draft: ProfileDraft) => Promise<void>; onCancel: () => void }) {
  const { t } = useI18n()
  const [name, setName] = useState(props.profile.author.name)
  const [bio, setBio] = useState(props.profile.bio)
  const [avatar, setAvatar] = useState(props.profile.author.avatar)
  const [busy, setBusy] = useState(false)
  return (
    <form class="stack" onSubmit={(e) => {
      e.preventDefault()
      setBusy(true)
      void props.onSave({ name: name.trim(), bio: bio.trim(), avatar }).finally(() => setBusy(false))
    }}>
      <h1>{t('profile.edit')}</h1>
      <label>{t('onboard.name')}
        <input name="name" required maxLength={50} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <label>{t('onboard.bio')}
        <textarea name="bio" rows={4} maxLength={300} value={bio} onInput={(e) => setBio(e.currentTarget.value)} />
      </label>
      <label>{t('onboard.avatar')}
        <input type="file" accept="image/*" onChange={(e) => {
          const file = e.currentTarget.files?.[0]
          if (file) void readAvatarFile(file).then(setAvatar, () => undefined)
        }} />
      </label>
      <Avatar author={{ id: props.profile.author.id, name, avatar }} size={64} />
      <div class="row">
        <button type="button" onClick={props.onCancel}>{t('compose.cancel')}</button>
        <button type="submit" class="primary" disabled={busy || name.trim() === ''}>{t('profile.save')}</button>
      </div>
    </form>
  )
}
