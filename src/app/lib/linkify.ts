// Splits user text into plain-text, link, hashtag and mention segments. The UI renders every
// segment as a text node; only http(s) URLs become links, and their href is the URL parsed
// and re-serialised by the URL parser, never the raw input. No other scheme (javascript:,
// data:, vbscript:, file:) is ever linked. A mention is `@name` where name is the current
// name of an author the post lists in `mentions` (protocol/events.md): names are not unique
// and may contain spaces, so only the post's own mention list can say who `@name` is.
import type { AuthorId } from '../../core/types.ts'

export type Segment =
  | { kind: 'text'; text: string }
  | { kind: 'link'; text: string; href: string }
  | { kind: 'hashtag'; text: string; tag: string }
  | { kind: 'mention'; text: string; author: AuthorId }

export interface MentionName {
  readonly id: AuthorId
  readonly name: string
}

// URLs stop at whitespace and at CJK punctuation, so "看这个https://a.cn。" links only the URL.
const TOKEN = /(https?:\/\/[^\s<>"'`\u3000-\u303f\uff00-\uffef]+)|(#[\p{L}\p{N}_]+)/giu
const TRAILING = /[.,;:!?)\]}'"]+$/

/** The safe href for a string, or undefined when it must stay text. */
export function toSafeHref(raw: string): string | undefined {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return undefined
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
  if (url.username || url.password) return undefined // user:pass@ tricks the reader about the host
  return url.href
}

export function splitText(text: string, mentions: readonly MentionName[] = []): Segment[] {
  const base = splitLinks(text)
  if (mentions.length === 0) return base
  // longest names first, so "@Bea Li" wins over "@Bea"
  const names = mentions.filter((m) => m.name.trim() !== '').sort((x, y) => y.name.length - x.name.length)
  return base.flatMap((segment) => (segment.kind === 'text' ? splitMentions(segment.text, names) : [segment]))
}

function splitMentions(text: string, names: readonly MentionName[]): Segment[] {
  const out: Segment[] = []
  let rest = text
  for (;;) {
    let best: { index: number; m: MentionName } | undefined
    for (const m of names) {
      const index = rest.indexOf(`@${m.name}`)
      if (index >= 0 && (!best || index < best.index)) best = { index, m }
    }
    if (!best) break
    if (best.index > 0) out.push({ kind: 'text', text: rest.slice(0, best.index) })
    const token = `@${best.m.name}`
    out.push({ kind: 'mention', text: token, author: best.m.id })
    rest = rest.slice(best.index + token.length)
  }
  if (rest) out.push({ kind: 'text', text: rest })
  return out
}

function splitLinks(text: string): Segment[] {
  const out: Segment[] = []
  let last = 0
  const push = (segment: Segment): void => {
    const prev = out[out.length - 1]
    if (segment.kind === 'text' && prev?.kind === 'text') prev.text += segment.text
    else out.push(segment)
  }
  for (const match of text.matchAll(TOKEN)) {
    const index = match.index
    if (index > last) push({ kind: 'text', text: text.slice(last, index) })
    let token = match[0]
    if (match[1] !== undefined) {
      const trail = TRAILING.exec(token)?.[0] ?? ''
      token = token.slice(0, token.length - trail.length)
      const href = toSafeHref(token)
      push(href ? { kind: 'link', text: token, href } : { kind: 'text', text: token })
      if (trail) push({ kind: 'text', text: trail })
    } else {
      push({ kind: 'hashtag', text: token, tag: token.slice(1) })
    }
    last = index + match[0].length
  }
  if (last < text.length) push({ kind: 'text', text: text.slice(last) })
  return out
}
