// Loading Automerge without putting its 3.6 MB wasm on the first paint (docs/architecture.md, principle 5).
// We import the "slim" entry (no wasm inside) dynamically and initialise the wasm explicitly:
// the app passes the URL Vite gives for `@automerge/automerge/automerge.wasm?url` (fetched and
// compiled, after the cached timeline is on screen); Node uses the base64 build of the same
// wasm, imported through a specifier bundlers do not follow, so browser builds do not ship
// that 4.8 MB module (a browser must pass the wasm). Everything in src/store that needs Automerge calls loadAutomerge()
// first and then uses the returned module.
import type * as Slim from '@automerge/automerge/slim'

export type AutomergeApi = typeof Slim

let loading: Promise<AutomergeApi> | undefined
const BASE64_WASM: string = '@automerge/automerge/automerge.wasm.base64'

/**
 * Loads and initialises Automerge once (later calls return the same module).
 * @param wasm the wasm binary or its URL (browsers: `@automerge/automerge/automerge.wasm?url`);
 *   omitted: the package's base64 copy, Node only.
 */
export function loadAutomerge(wasm?: string | URL | Uint8Array | Response | Promise<Response>): Promise<AutomergeApi> {
  loading ??= (async () => {
    const am = await import('@automerge/automerge/slim')
    if (!am.isWasmInitialized()) {
      if (wasm === undefined) {
        const { automergeWasmBase64 } = (await import(/* @vite-ignore */ BASE64_WASM)) as { automergeWasmBase64: string }
        await am.initializeBase64Wasm(automergeWasmBase64)
      } else {
        await am.initializeWasm(await wasmBytes(wasm))
      }
    }
    return am
  })()
  const current = loading
  // a failed load may be retried (e.g. offline at first start, with the wasm not cached yet)
  void current.catch(() => {
    if (loading === current) loading = undefined
  })
  return current
}

async function wasmBytes(wasm: string | URL | Uint8Array | Response | Promise<Response>): Promise<Uint8Array> {
  if (wasm instanceof Uint8Array) return wasm
  const response = typeof wasm === 'string' || wasm instanceof URL ? await fetch(wasm) : await wasm
  if (!response.ok) throw new Error(`cannot load the Automerge wasm: HTTP ${response.status}`)
  return new Uint8Array(await response.arrayBuffer())
}
