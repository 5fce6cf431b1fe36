// Regenerates protocol/vectors/{events,feed-envelopes,invites,hashtags,sync-frames}.json from fixed seeds and a fixed
// clock: `./node_modules/.bin/node test/vectors/generate.ts`. Output is deterministic; review
// the diff before committing — a changed vector is a protocol change.
import { writeFileSync } from 'node:fs'
import { buildEnvelopeVectors } from './envelope-vectors.ts'
import { buildEventVectors } from './events-vectors.ts'
import { buildHashtagVectors } from './hashtag-vectors.ts'
import { buildInviteVectors } from './invite-vectors.ts'
import { buildSyncFrameVectors } from './sync-frame-vectors.ts'

const out = (name: string, cases: unknown[]) => {
  const path = new URL(`../../protocol/vectors/${name}`, import.meta.url)
  writeFileSync(path, JSON.stringify(cases, null, 2) + '\n')
  console.log(`${name}: ${cases.length} cases`)
}
out('events.json', buildEventVectors())
out('feed-envelopes.json', buildEnvelopeVectors())
out('invites.json', buildInviteVectors())
out('hashtags.json', buildHashtagVectors())
out('sync-frames.json', buildSyncFrameVectors())
