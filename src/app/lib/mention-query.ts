// The `@name` being typed in compose, and what choosing a person does to the text. Pure, so
// the caret logic is unit-tested (test/unit/app/mention-query.test.ts).

/** An `@` at the start or after a space, then 1–30 letters/digits/_ up to the caret. */
const QUERY = /(?:^|[\s\u3000])@([\p{L}\p{N}_]{1,30})$/u

export interface MentionQuery {
  /** index of the `@` */
  readonly start: number
  /** the letters typed after it */
  readonly prefix: string
}

/** The mention being typed before `caret`, if any. */
export function findMentionQuery(text: string, caret: number): MentionQuery | undefined {
  const before = text.slice(0, caret)
  const match = QUERY.exec(before)
  if (!match?.[1]) return undefined
  return { start: caret - match[1].length - 1, prefix: match[1] }
}

/** Replaces `@prefix` with `@name ` and returns the new text and caret. */
export function insertMention(text: string, query: MentionQuery, name: string): { text: string; caret: number } {
  const end = query.start + 1 + query.prefix.length
  const inserted = `@${name} `
  const after = text.slice(end)
  return { text: text.slice(0, query.start) + inserted + (after.startsWith(' ') ? after.slice(1) : after), caret: query.start + inserted.length }
}

/** The picked people whose `@name` is still in the text (each once, in pick order). */
export function keptMentions<T extends { readonly id: string; readonly name: string }>(text: string, picked: readonly T[]): T[] {
  const seen = new Set<string>()
  return picked.filter((p) => {
    if (seen.has(p.id) || !text.includes(`@${p.name}`)) return false
    seen.add(p.id)
    return true
  })
}
