// The release step of `vite build` (protocol/releases.md §6): the app and its service worker are
// built with the release public key and number as constants; after the app is written, the worker
// is built on its own as one classic script (`sw.js`), every file is hashed into `release.cbor`,
// signed with the release key, and `.br`/`.gz` copies are written beside every compressible file.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, type Plugin, type ResolvedConfig } from 'vite'
import { createReleaseManifest } from '../../src/core/release-manifest.ts'
import { writeCompressedCopies } from './compress.ts'
import { releaseDefines, resolveReleaseSeq, resolveReleaseSigner } from './release-key.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const WORKER_ENTRY = join(ROOT, 'src/app/worker/sw.ts')
const MANIFEST = 'release.cbor'
const COMPRESSED = /\.(br|gz)$/

/** Every regular file under `dir`, as `/`-separated paths relative to it; dotfiles left out. */
export function listFiles(dir: string): string[] {
  const out: string[] = []
  const visit = (path: string): void => {
    for (const entry of readdirSync(path)) {
      if (entry.startsWith('.')) continue
      const full = join(path, entry)
      if (statSync(full).isDirectory()) visit(full)
      else out.push(relative(dir, full).split(sep).join('/'))
    }
  }
  visit(dir)
  return out.sort()
}

export function wildgrassRelease(env: Readonly<Record<string, string | undefined>> = process.env): Plugin {
  const signer = resolveReleaseSigner(env)
  const seq = resolveReleaseSeq(env)
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version
  const define = releaseDefines(signer, seq, version)
  let config: ResolvedConfig | undefined
  return {
    name: 'wildgrass-release',
    // the dev server has no sw.js: the app registers a worker only when it was built
    config: (_, { command }) => ({ define: { ...define, 'import.meta.env.WG_SERVICE_WORKER': JSON.stringify(String(command === 'build')) } }),
    configResolved(resolved) {
      config = resolved
    },
    async closeBundle() {
      if (config?.command !== 'build') return
      const outDir = resolve(config.root, config.build.outDir)
      await build({
        configFile: false,
        root: config.root,
        logLevel: 'warn',
        define,
        publicDir: false,
        build: {
          outDir,
          emptyOutDir: false,
          target: config.build.target,
          sourcemap: false,
          // a classic script: module service workers are missing from older Firefox and Safari
          lib: { entry: WORKER_ENTRY, formats: ['iife'], name: 'wildgrassServiceWorker', fileName: () => 'sw.js' },
        },
      })
      const paths = listFiles(outDir).filter((p) => p !== MANIFEST && !COMPRESSED.test(p))
      const manifest = createReleaseManifest(signer.secret, {
        version,
        seq,
        files: paths.map((path) => ({ path, bytes: readFileSync(join(outDir, path)) })),
      })
      writeFileSync(join(outDir, MANIFEST), manifest.bytes)
      const sizes = await writeCompressedCopies(outDir, paths, join(ROOT, 'node_modules/.cache/wildgrass-brotli'))
      const total = (k: 'size' | 'br' | 'gz') => sizes.reduce((n, s) => n + (s[k] ?? s.size), 0)
      config.logger.info(
        `release ${version} #${seq}${signer.development ? ' (development key)' : ''}: ${paths.length} files signed into ${MANIFEST}; ` +
          `compressible ${(total('size') / 1024).toFixed(0)} KiB → br ${(total('br') / 1024).toFixed(0)} KiB, gz ${(total('gz') / 1024).toFixed(0)} KiB`,
      )
    },
  }
}
