// Fetches the app's engine (start-app.ts: store, Automerge's wasm, libp2p; most of the app's
// bytes) in the background and says how far it got, so that a screen waiting for it can show
// progress. Loaded once; a failed load (offline on a first visit) is tried again on the next get().
import { signal, type ReadonlySignal } from '@preact/signals'
import type { AppWiring, WiringInit } from './start-app.ts'

// shares of the progress bar: the JavaScript, then the wasm (about five times its size)
const CODE_SHARE = 0.2

export interface EngineLoader {
  /** 0 to 1 */
  readonly loaded: ReadonlySignal<number>
  /** the wiring; starts loading it if nothing has yet */
  get(): Promise<AppWiring>
}

export function createEngineLoader(init: Omit<WiringInit, 'onWasmProgress'>): EngineLoader {
  const loaded = signal(0)
  let loading: Promise<AppWiring> | undefined
  const load = async (): Promise<AppWiring> => {
    const { loadWiring } = await import('./start-app.ts')
    loaded.value = CODE_SHARE
    const wiring = await loadWiring({ ...init, onWasmProgress: (f) => { loaded.value = CODE_SHARE + (1 - CODE_SHARE) * f * 0.95 } })
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
