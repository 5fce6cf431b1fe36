// Edit my profile: name, bio, avatar. The change is signed and published in my feed document.
import { useState } from 'preact/hooks'
import type { ProfileDraft, ProfileView } from '../state/view-types.ts'
import { Avatar } from './avatar.tsx'
import { useI18n } from './i18n-context.ts'
import { ProfileFields, profileFieldsValid } from './profile-fields.tsx'

export function ProfileEditor(props: { profile: ProfileView; onSave: (draft: ProfileDraft) => Promise<void>; onCancel: () => void }) {
  const { t } = useI18n()
  const [name, setName] = useState(props.profile.author.name)
  const [bio, setBio] = useState(props.profile.bio)
  const [avatar, setAvatar] = useState(props.profile.author.avatar)
  const [busy, setBusy] = useState(false)
  return (
    <form
      class="stack"
      onSubmit={(e) => {
        e.preventDefault()
        setBusy(true)
        void props.onSave({ name: name.trim(), bio: bio.trim(), avatar }).finally(() => setBusy(false))
      }}
    >
      <h1>{t('profile.edit')}</h1>
      <ProfileFields
        name={name}
        bio={bio}
        bioRows={4}
        onName={setName}
        onBio={setBio}
        onAvatar={(a) => {
          if (a !== undefined) setAvatar(a)
        }}
      />
      <Avatar author={{ id: props.profile.author.id, name, avatar }} size={64} />
      <div class="row">
        <button type="button" onClick={props.onCancel}>
          {t('compose.cancel')}
        </button>
        <button type="submit" class="primary" disabled={busy || !profileFieldsValid(name, bio)}>
          {t('profile.save')}
        </button>
      </div>
    </form>
  )
}
