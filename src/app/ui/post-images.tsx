// A post's photos: a blurhash placeholder painted at once, the thumbnail once its bytes arrived
// and matched their hash, and a tap opens the photo full screen with its alt text. In data-saver
// mode (lib/data-saver.ts) nothing is fetched until the person taps.
import { decode } from 'blurhash'
import { useEffect, useRef, useState } from 'preact/hooks'
import type { ImageRef } from '../../core/types.ts'
import { useI18n } from './i18n-context.ts'

export type ImageUrl = (sha256: string, type: string) => Promise<string>

export function PostImages(props: { images: readonly ImageRef[]; imageUrl: ImageUrl; waitForTap: boolean }) {
  const { t } = useI18n()
  const [open, setOpen] = useState<ImageRef | undefined>(undefined)
  const [asked, setAsked] = useState(!props.waitForTap)
  return (
    <div class={`post-images count-${props.images.length}`}>
      {props.images.map((image) => (
        <button
          type="button"
          key={image.sha256}
          class="post-image"
          aria-label={image.alt ? `${t('post.photo')}: ${image.alt}` : t('post.photo')}
          onClick={() => (asked ? setOpen(image) : setAsked(true))}
        >
          <Placeholder image={image} />
          {asked ? (
            <Fetched sha256={image.thumb ?? image.sha256} type={image.thumb ? 'image/jpeg' : image.type} alt={image.alt ?? ''} imageUrl={props.imageUrl} />
          ) : (
            <span class="post-image-tap">{t('post.loadPhoto')}</span>
          )}
        </button>
      ))}
      {open && <PhotoViewer image={open} imageUrl={props.imageUrl} onClose={() => setOpen(undefined)} />}
    </div>
  )
}

/** The photo full screen with its alt text: a modal dialog, so Escape closes it and focus stays inside. */
function PhotoViewer(props: { image: ImageRef; imageUrl: ImageUrl; onClose: () => void }) {
  const { t } = useI18n()
  const dialog = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const el = dialog.current
    if (el && !el.open) el.showModal()
  }, [])
  const { image } = props
  return (
    <dialog ref={dialog} class="photo-viewer" aria-label={t('post.photo')} onClose={props.onClose} onClick={props.onClose}>
      <Fetched sha256={image.sha256} type={image.type} alt={image.alt ?? ''} imageUrl={props.imageUrl} />
      {image.alt && <p class="photo-alt">{image.alt}</p>}
      <button type="button" class="small" onClick={props.onClose}>
        {t('common.close')}
      </button>
    </dialog>
  )
}

/** The blurhash, painted on a tiny canvas that CSS stretches to the photo's shape. */
function Placeholder(props: { image: ImageRef }) {
  const canvas = useRef<HTMLCanvasElement>(null)
  const { blurhash, w, h } = props.image
  useEffect(() => {
    const el = canvas.current
    if (!el || !blurhash) return
    try {
      const [cw, ch] = w >= h ? [32, Math.max(1, Math.round((32 * h) / w))] : [Math.max(1, Math.round((32 * w) / h)), 32]
      const pixels = decode(blurhash, cw, ch)
      el.width = cw
      el.height = ch
      el.getContext('2d')?.putImageData(new ImageData(new Uint8ClampedArray(pixels), cw, ch), 0, 0)
    } catch {
      // a blurhash that does not decode: the plain background stays
    }
  }, [blurhash, w, h])
  return <canvas ref={canvas} class="post-image-placeholder" style={{ aspectRatio: `${w} / ${h}` }} aria-hidden="true" />
}

/** The image once fetched and checked; nothing (the placeholder shows) while it comes or if no relay has it. */
function Fetched(props: { sha256: string; type: string; alt: string; imageUrl: ImageUrl }) {
  const [src, setSrc] = useState<string | undefined>(undefined)
  useEffect(() => {
    let live = true
    props.imageUrl(props.sha256, props.type).then(
      (url) => live && setSrc(url),
      () => undefined,
    )
    return () => {
      live = false
    }
  }, [props.sha256])
  return src ? <img src={src} alt={props.alt} data-sha256={props.sha256} /> : null
}
