// Content negotiation over Accept-Encoding (RFC 9110 §12.5.3) for the app's precompressed
// files. Small on purpose: the relay only ever chooses among what the build wrote next to a
// file (br, gzip) and the file itself (identity).

export type Encoding = 'br' | 'gzip'

const IMPLICIT_IDENTITY = 1e-4

/** Preference among equal q-values: brotli is smaller than gzip for the same file. */
const ORDER: ReadonlyArray<Encoding | 'identity'> = ['br', 'gzip', 'identity']

/**
 * The encoding to send, among `available`; undefined when the client refuses all of them
 * (`identity;q=0` with nothing else acceptable: the caller answers 406). No header at all
 * means identity only: a client that says nothing may not decode anything (RFC 9110 allows
 * any, but curl without --compressed and many scripts would then get bytes they cannot read).
 */
export function chooseEncoding(header: string | string[] | undefined, available: ReadonlyArray<Encoding | 'identity'>): Encoding | 'identity' | undefined {
  const text = Array.isArray(header) ? header.join(',') : header
  if (text === undefined || text.trim() === '') return available.includes('identity') ? 'identity' : undefined
  const weights = parseAcceptEncoding(text)
  const weightOf = (coding: Encoding | 'identity'): number => {
    const alias = coding === 'gzip' ? weights.get('x-gzip') : undefined
    const explicit = weights.get(coding) ?? alias
    if (explicit !== undefined) return explicit
    const star = weights.get('*')
    if (star !== undefined) return star
    // identity is acceptable unless refused explicitly or through `*;q=0`, but never preferred
    // to a coding the client named (RFC 9110 gives it no weight; servers send what was asked for)
    return coding === 'identity' ? IMPLICIT_IDENTITY : 0
  }
  let best: Encoding | 'identity' | undefined
  let bestWeight = 0
  for (const coding of ORDER) {
    if (!available.includes(coding)) continue
    const w = weightOf(coding)
    if (w > bestWeight) {
      best = coding
      bestWeight = w
    }
  }
  return best
}

/** `gzip;q=0.8, br, *;q=0` → coding → weight (0..1); a malformed weight counts as 0. */
function parseAcceptEncoding(text: string): Map<string, number> {
  const weights = new Map<string, number>()
  for (const part of text.split(',')) {
    const [name, ...params] = part.split(';').map((s) => s.trim().toLowerCase())
    if (name === undefined || name === '') continue
    let q = 1
    for (const p of params) {
      const m = /^q=([01](?:\.\d{0,3})?)$/.exec(p)
      if (p.startsWith('q=')) q = m ? Math.min(1, Number(m[1])) : 0
    }
    weights.set(name, Math.max(q, weights.get(name) ?? 0))
  }
  return weights
}
