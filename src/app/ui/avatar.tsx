// An avatar: the author's small image when it is a data:image URL, else their initial.
import type { AuthorView } from '../state/view-types.ts'

const SAFE_IMAGE = /^data:image\/(png|jpeg|webp|gif);base64,[A-Za-z0-9+/=]+$/

export function Avatar(props: { author: AuthorView; size?: number }) {
  const size = props.size ?? 40
  const avatar = props.author.avatar
  if (avatar && SAFE_IMAGE.test(avatar)) {
    return <img class="avatar" src={avatar} alt="" width={size} height={size} />
  }
  const initial = [...(props.author.name.trim() || '?')][0] ?? '?'
  return (
    <span class="avatar avatar-initial" aria-hidden="true" style={{ width: `${size}px`, height: `${size}px` }}>
      {initial}
    </span>
  )
}
