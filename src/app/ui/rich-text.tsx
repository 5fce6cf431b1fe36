// User text rendered as text nodes only (never as HTML). Links are http(s) only, shown as the
// text the author wrote, opened in a new context without referrer or opener, and marked ugc.
import { splitText } from '../lib/linkify.ts'

export function RichText(props: { text: string; onHashtag?: ((tag: string) => void) | undefined }) {
  const segments = splitText(props.text)
  return (
    <span class="rich-text">
      {segments.map((segment, index) => {
        if (segment.kind === 'link') {
          return (
            <a key={index} href={segment.href} target="_blank" rel="noopener noreferrer nofollow ugc">
              {segment.text}
            </a>
          )
        }
        if (segment.kind === 'hashtag' && props.onHashtag) {
          const onHashtag = props.onHashtag
          return (
            <a key={index} href={`#/search?q=${encodeURIComponent(segment.text)}`} class="hashtag"
              onClick={(e) => { e.preventDefault(); onHashtag(segment.text) }}>
              {segment.text}
            </a>
          )
        }
        return segment.text
      })}
    </span>
  )
}
