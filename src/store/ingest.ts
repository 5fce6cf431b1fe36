// Taking in what others signed: events and feed-document change envelopes, as bytes (opened
// here) or as objects core already opened (the network's gossip validators and sync client),
// which are neither decoded nor verified again. One batch is one storage write.
import type { VerifiedEvent } from '../core/event-verify.ts'
import { openEvents, verifyEvents, type OpenResult } from '../core/event-verify.ts'
import { openChangeEnvelope, verifyChangeEnvelope } from '../core/feed-envelope.ts'
import type { VerifiedChangeEnvelope } from '../core/feed-envelope.ts'
import type { AuthorId } from '../core/types.ts'
import type { DocPlan } from './feed-docs.ts'
import { refuse, refusalOf } from './ingest-result.ts'
import type { StoreContext } from './store-context.ts'
import type { IngestResult, Store } from './types.ts'

type Ingest = Pick<Store, 'ingestEvents' | 'ingestOpenedEvents' | 'ingestChange' | 'ingestChanges' | 'ingestOpenedChanges'>

export function createIngest(ctx: StoreContext): Ingest {
  /** Stores the opened events of a batch in one transaction; per item: stored, duplicate or why not. */
  async function storeOpened(opened: readonly OpenResult[]): Promise<IngestResult[]> {
    const events = opened.flatMap((r) => (r.ok ? [r.event] : []))
    const { outcomes } = events.length > 0 ? await ctx.exclusive(() => ctx.commit(events, [], false)) : { outcomes: [] }
    let j = 0
    return opened.map((r): IngestResult => {
      if (!r.ok) return refuse(r.code, r.message)
      const outcome = outcomes[j++]
      if (outcome === 'retracted') return refuse('E_RETRACTED', 'E_RETRACTED: its author has retracted this event')
      return { ok: true, id: r.event.id, duplicate: outcome === 'duplicate' }
    })
  }

  /** Opened envelopes, by slot: applied per author's document, all in one batch. */
  async function storeOpenedChanges(items: ReadonlyArray<{ i: number; envelope: VerifiedChangeEnvelope }>, results: IngestResult[]): Promise<void> {
    const byAuthor = new Map<AuthorId, Array<{ i: number; envelope: VerifiedChangeEnvelope }>>()
    for (const item of items) byAuthor.set(item.envelope.author, [...(byAuthor.get(item.envelope.author) ?? []), item])
    if (byAuthor.size === 0) return
    const { docs } = await ctx.started()
    await ctx.exclusive(async () => {
      const plans: DocPlan[] = []
      const accepted = new Map<AuthorId, Uint8Array[]>()
      for (const [author, list] of byAuthor) {
        const { plan, results: outcomes } = await docs.planRemote(
          author,
          list.map((x) => x.envelope),
        )
        plans.push(plan)
        list.forEach((item, j) => {
          const outcome = outcomes[j]!
          if (outcome.status === 'refused') {
            results[item.i] = refuse('E_BAD_CHANGE', `E_BAD_CHANGE: ${outcome.message}`, outcome.reason)
            return
          }
          results[item.i] = { ok: true, id: outcome.hash, duplicate: outcome.status === 'duplicate' }
          if (outcome.status === 'new' && plan.applied.length > 0) accepted.set(author, [...(accepted.get(author) ?? []), item.envelope.bytes])
        })
      }
      try {
        await ctx.commit([], plans, false)
      } catch (error) {
        for (const item of items) if (results[item.i]?.ok) results[item.i] = refusalOf(error)
        return
      }
      const followedBy = new Map(plans.map((p) => [p.author, p.delta.followed.map((f) => f.author).filter((a) => a !== p.author)]))
      for (const [author, envelopes] of accepted) ctx.emit({ type: 'changes', author, envelopes, local: false, followed: followedBy.get(author) ?? [] })
    })
  }

  async function ingestChanges(list: readonly Uint8Array[], owner?: AuthorId): Promise<IngestResult[]> {
    const results: IngestResult[] = new Array<IngestResult>(list.length)
    const opened = await Promise.all(
      list.map(async (bytes, i) => {
        try {
          return { i, envelope: await openChangeEnvelope(bytes, owner) }
        } catch (error) {
          results[i] = refusalOf(error)
          return undefined
        }
      }),
    )
    await storeOpenedChanges(
      opened.filter((x) => x !== undefined),
      results,
    )
    return results
  }

  return {
    async ingestEvents(list) {
      return storeOpened(await openEvents(list, { now: ctx.now() }))
    },
    async ingestOpenedEvents(events) {
      // free for what core verified (its mark); a copy made by hand is checked here
      const codes = await verifyEvents(events)
      return storeOpened(
        events.map((event, i): OpenResult => {
          const code = codes[i] ?? null
          return code === null ? { ok: true, event: event as VerifiedEvent } : { ok: false, code, message: `${code}: signature check failed` }
        }),
      )
    },
    async ingestChange(bytes, owner) {
      return (await ingestChanges([bytes], owner))[0]!
    },
    ingestChanges,
    async ingestOpenedChanges(envelopes) {
      const results: IngestResult[] = new Array<IngestResult>(envelopes.length)
      const checked = await Promise.all(
        envelopes.map(async (envelope, i) => {
          try {
            return { i, envelope: await verifyChangeEnvelope(envelope) }
          } catch (error) {
            results[i] = refusalOf(error)
            return undefined
          }
        }),
      )
      await storeOpenedChanges(
        checked.filter((x) => x !== undefined),
        results,
      )
      return results
    },
  }
}
