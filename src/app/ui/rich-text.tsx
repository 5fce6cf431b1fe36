// User text rendered as text nodes only (never as HTML). Links are http(s) only, shown as the
// text the author wrote, opened in a new context without referrer or opener, and marked ugc.
import type { AuthorId } from '../../core/types.ts'
import { splitText, type MentionName } from '../lib/linkify.ts'
import { routeHref } from '../lib/route.ts'

export function RichText(props: {
  text: string
  onHashtag?: ((tag: string) => void) | undefined
  /** the post's mentioned authors: `@name` of one of them links to the profile */
  mentions?: readonly MentionName[] | undefined
  onMention?: ((author: AuthorId) => void) | undefined
}) {
  const segments = splitText(props.text, props.mentions)
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
            <a
              key={index}
              href={`#/search?q=${encodeURIComponent(segment.text)}`}
              class="hashtag"
              onClick={(e) => {
                e.preventDefault()
                onHashtag(segment.text)
              }}
            >
              {segment.text}
            </a>
          )
        }
        if (segment.kind === 'mention') {
          const onMention = props.onMention
          return (
            <a
              key={index}
              href={routeHref({ name: 'profile', author: segment.author })}
              class="mention"
              data-author={segment.author}
              onClick={
                onMention
                  ? (e) => {
                      e.preventDefault()
                      onMention(segment.author)
                    }
                  : undefined
              }
            >
              {segment.text}
            </a>
          )
        }
        return segment.text
      })}
    </span>
  )
}
