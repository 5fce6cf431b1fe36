// Precompressed copies of the built app (`<file>.br` at brotli quality 11, `<file>.gz` at gzip
// level 9) for relays and static hosts to serve by content negotiation; the release manifest
// lists only the uncompressed files. Brotli 11 takes ~10 s for Automerge's 3.6 MB wasm, so
// results are kept by content hash under node_modules/.cache and reused by the next build.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { brotliCompress, brotliDecompressSync, constants, gzip } from 'node:zlib'
import { createHash } from 'node:crypto'

/** What is worth compressing: text and wasm (PNG is compressed already). */
export const COMPRESSIBLE = /\.(html|js|mjs|css|json|webmanifest|svg|wasm|txt|map)$/i

const brotli = promisify(brotliCompress)
const gzipAsync = promisify(gzip)

export interface CompressedSizes {
  readonly path: string
  readonly size: number
  readonly br?: number
  readonly gz?: number
}

async function compress(bytes: Buffer, kind: 'br' | 'gz', cacheDir: string | undefined): Promise<Buffer> {
  if (kind === 'gz') return gzipAsync(bytes, { level: 9 }) // fast enough not to keep
  const cached = cacheDir === undefined ? undefined : join(cacheDir, `${createHash('sha256').update(bytes).digest('hex')}.br`)
  if (cached !== undefined) {
    try {
      const hit = readFileSync(cached)
      // a cache entry is only used when it decompresses to exactly these bytes
      if (brotliDecompressSync(hit).equals(bytes)) return hit
    } catch {
      // not cached yet, or unreadable: compress below
    }
  }
  const out = await brotli(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } })
  if (cached !== undefined) {
    mkdirSync(cacheDir!, { recursive: true })
    writeFileSync(cached, out)
  }
  return out
}

/**
 * Writes `.br` and `.gz` beside every compressible file among `paths` (relative to `dir`) where
 * the copy is smaller than the file. Returns the sizes.
 */
export async function writeCompressedCopies(dir: string, paths: readonly string[], cacheDir?: string): Promise<CompressedSizes[]> {
  return Promise.all(
    paths
      .filter((p) => COMPRESSIBLE.test(p))
      .map(async (path) => {
        const bytes = readFileSync(join(dir, path))
        const sizes: { path: string; size: number; br?: number; gz?: number } = { path, size: bytes.length }
        for (const kind of ['br', 'gz'] as const) {
          const out = await compress(bytes, kind, cacheDir)
          if (out.length >= bytes.length) continue
          writeFileSync(join(dir, `${path}.${kind}`), out)
          sizes[kind] = out.length
        }
        return sizes
      }),
  )
}
