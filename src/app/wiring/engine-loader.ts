// Fetches the app's engine (start-app.ts: store, Automerge's wasm, libp2p; most of the app's
// bytes) in the background and says how far it got, so that a screen waiting for it can show
// progress. Loaded once; a failed load (offline on a first visit) is tried again on the next get().
import wasmUrl from '@automerge/automerge/automerge.wasm?url'
import { signal, type ReadonlySignal } from '@preact/signals'
import type { AppWiring, WiringInit } from './start-app.ts'

// shares of the progress bar: the JavaScript, then the wasm (about six times its size, compressed or not)
const CODE_SHARE = 0.2

export interface EngineLoader {
  /** 0 to 1 */
  readonly loaded: ReadonlySignal<number>
  /** the wiring; starts loading it if nothing has yet */
  get(): Promise<AppWiring>
}

export function createEngineLoader(init: Omit<WiringInit, 'wasm' | 'onWasmProgress'>): EngineLoader {
  const loaded = signal(0)
  let loading: Promise<AppWiring> | undefined
  const load = async (): Promise<AppWiring> => {
    // the wasm (the biggest file) is asked for together with the JavaScript, not after it
    const wasm = fetch(wasmUrl)
    wasm.catch(() => undefined) // a failure is seen by loadWiring, or dropped with the JavaScript's
    const { loadWiring } = await import('./start-app.ts')
    loaded.value = CODE_SHARE
    const wiring = await loadWiring({
      ...init,
      wasm,
      // the last few per cent are compiling it
      onWasmProgress: (f) => {
        loaded.value = CODE_SHARE + (1 - CODE_SHARE) * f * 0.95
      },
    })
    loaded.value = 1
    return wiring
  }
  return {
    loaded,
    get() {
      loading ??= load().catch((error: unknown) => {
        loading = undefined
        throw error
      })
      return loading
    },
  }
}
