// Photos in the composer: picked from the gallery or the camera, pasted or dropped, each
// re-encoded on this device at once (lib/image-encode.ts: no metadata of the original survives)
// and shown with a field for its alt text. A file that is not a usable image gets its reason;
// the draft and the other photos stay.
import { useRef, useState } from 'preact/hooks'
import { MAX_ALT_GRAPHEMES, MAX_IMAGES } from '../../core/limits.ts'
import { encodeImage, ImageInputError } from '../lib/image-encode.ts'
import type { DraftPhoto } from '../state/view-types.ts'
import { useI18n } from './i18n-context.ts'

interface Picked extends DraftPhoto {
  readonly key: string
  /** an object URL of the thumbnail, for the preview */
  readonly preview: string
}

export interface Photos {
  readonly list: readonly Picked[]
  /** why the last file was refused, if it was */
  readonly problem: string
  readonly encoding: boolean
  add(files: Iterable<File>): Promise<void>
  clear(): void
}

export function usePhotos(): Photos & { setAlt(key: string, alt: string): void; remove(key: string): void } {
  const { t } = useI18n()
  const [list, setList] = useState<Picked[]>([])
  const [problem, setProblem] = useState('')
  const [encoding, setEncoding] = useState(false)
  const next = useRef(0)
  const revoke = (p: Picked): void => URL.revokeObjectURL(p.preview)
  return {
    list,
    problem,
    encoding,
    async add(files) {
      setProblem('')
      setEncoding(true)
      try {
        let count = list.length // this render's list: the photos added below are not in it yet
        for (const file of files) {
          if (count >= MAX_IMAGES) {
            setProblem(t('compose.tooManyPhotos', { n: MAX_IMAGES }))
            break
          }
          try {
            const encoded = await encodeImage(file)
            const preview = URL.createObjectURL(new Blob([encoded.thumb.bytes as BlobPart], { type: 'image/jpeg' }))
            const picked: Picked = { key: String(next.current++), encoded, alt: '', preview }
            setList((old) => (old.length >= MAX_IMAGES ? (revoke(picked), old) : [...old, picked]))
            count++
          } catch (error) {
            const code = error instanceof ImageInputError ? error.code : 'undecodable'
            setProblem(`${file.name}: ${t(`compose.photo.${code}`)}`)
          }
        }
      } finally {
        setEncoding(false)
      }
    },
    setAlt: (key, alt) => setList((old) => old.map((p) => (p.key === key ? { ...p, alt } : p))),
    remove: (key) =>
      setList((old) => {
        for (const p of old) if (p.key === key) revoke(p)
        return old.filter((p) => p.key !== key)
      }),
    clear: () =>
      setList((old) => {
        old.forEach(revoke)
        return []
      }),
  }
}

/** The picker button and the picked photos with their alt text. */
export function ComposePhotos(props: { photos: ReturnType<typeof usePhotos>; /** alt text is required and a photo has none */ altMissing?: boolean }) {
  const { t } = useI18n()
  const input = useRef<HTMLInputElement>(null)
  const { photos } = props
  return (
    <div class="compose-photos">
      <input
        ref={input}
        type="file"
        accept="image/*"
        multiple
        hidden
        aria-label={t('compose.addPhotos')}
        onChange={(e) => {
          const files = [...(e.currentTarget.files ?? [])]
          e.currentTarget.value = ''
          void photos.add(files)
        }}
      />
      {photos.list.length > 0 && (
        <ul class="compose-photo-list">
          {photos.list.map((p) => (
            <li key={p.key}>
              <img src={p.preview} alt="" />
              <textarea
                aria-label={t('compose.photoAlt')}
                placeholder={t('compose.photoAlt')}
                maxLength={MAX_ALT_GRAPHEMES * 4}
                value={p.alt}
                aria-invalid={props.altMissing === true && p.alt.trim() === ''}
                onInput={(e) => photos.setAlt(p.key, e.currentTarget.value)}
              />
              <button type="button" class="small" onClick={() => photos.remove(p.key)}>
                {t('compose.removePhoto')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {photos.encoding && <p class="muted">{t('compose.encoding')}</p>}
      {photos.problem && (
        <p class="error" role="alert">
          {photos.problem}
        </p>
      )}
      <button type="button" class="small" disabled={photos.list.length >= MAX_IMAGES} onClick={() => input.current?.click()}>
        {t('compose.addPhotos')}
      </button>
    </div>
  )
}

/** The image files of a paste or a drop. */
export function imageFiles(data: DataTransfer | null): File[] {
  return [...(data?.files ?? [])].filter((f) => f.type.startsWith('image/') || f.type === '')
}
