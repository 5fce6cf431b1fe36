// Regenerates protocol/vectors/{events,feed-envelopes,invites,hashtags,sync-frames,retraction,gossip}.json from fixed seeds and a fixed
// clock: `./node_modules/.bin/node test/vectors/generate.ts`. Output is deterministic; review
// the diff before committing — a changed vector is a protocol change.
import { readFileSync, writeFileSync } from 'node:fs'
import { buildEnvelopeVectors } from './envelope-vectors.ts'
import { buildEventVectors } from './events-vectors.ts'
import { buildGossipVectors } from './gossip-vectors.ts'
import { buildHashtagVectors } from './hashtag-vectors.ts'
import { buildInviteVectors } from './invite-vectors.ts'
import { buildRetractionVectors } from './retraction-vectors.ts'
import { buildSyncFrameVectors } from './sync-frame-vectors.ts'

const vectorPath = (name: string) => new URL(`../../protocol/vectors/${name}`, import.meta.url)
const out = (name: string, cases: unknown[]) => {
  const path = vectorPath(name)
  writeFileSync(path, JSON.stringify(cases, null, 2) + '\n')
  console.log(`${name}: ${cases.length} cases`)
}
out('events.json', buildEventVectors())
out('feed-envelopes.json', buildEnvelopeVectors())
out('invites.json', buildInviteVectors())
out('hashtags.json', buildHashtagVectors())
out('sync-frames.json', buildSyncFrameVectors())
// message ids of objects from the files above (relay-records.json: generate-relay-records.ts)
out('retraction.json', await buildRetractionVectors())
out('gossip.json', buildGossipVectors((name) => JSON.parse(readFileSync(vectorPath(name), 'utf8')) as Array<Record<string, unknown>>))
