// Which runner checks which file of protocol/vectors (protocol/CONFORMANCE.md). A file without a
// runner fails both suites, so a new vector file cannot be silently skipped.
import { runBlobFrameCase, runBlobTokenCase } from './vectors-blob.ts'
import { runEnvelopeCase, runEventCase, runHashtagCase, runIdentityCase, runInviteCase, runRelayRecordCase, type VectorCase } from './vectors-core.ts'
import { runGossipCase, runSyncFrameCase } from './vectors-net.ts'
import { runPrivateCase } from './vectors-private.ts'
import { runReconcileCase } from './vectors-reconcile.ts'
import { runReleaseCase } from './vectors-releases.ts'
import { runRetractionCase } from './vectors-store.ts'

export type { VectorCase }

export interface VectorEnvironment {
  /** the Automerge wasm for stores (browsers; Node loads its own) */
  readonly automergeWasm?: string
}

export type VectorRunner = (c: VectorCase, env: VectorEnvironment) => Promise<void>

export const VECTOR_RUNNERS: Readonly<Record<string, VectorRunner>> = {
  'events.json': runEventCase,
  'feed-envelopes.json': runEnvelopeCase,
  'invites.json': runInviteCase,
  'identity.json': runIdentityCase,
  'signatures.json': runIdentityCase,
  'relay-records.json': runRelayRecordCase,
  'hashtags.json': runHashtagCase,
  'sync-frames.json': runSyncFrameCase,
  'gossip.json': runGossipCase,
  'retraction.json': runRetractionCase,
  'releases.json': runReleaseCase,
  'direct-messages.json': runPrivateCase,
  'blob-tokens.json': runBlobTokenCase,
  'blob-frames.json': runBlobFrameCase,
  'reconcile.json': runReconcileCase,
}
