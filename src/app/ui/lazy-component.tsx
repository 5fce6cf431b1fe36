// A component whose code is its own chunk, fetched the first time it is shown: the first paint
// (the welcome screen, the cached timeline) does not carry screens nobody has opened yet.
import type { ComponentType, FunctionComponent } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { useI18n } from './i18n-context.ts'

export type LazyComponent<P> = FunctionComponent<P> & {
  /** fetches the code now (in the background), so the component shows at once later, offline too */
  preload(): Promise<void>
}

export function createLazyComponent<P extends object>(load: () => Promise<ComponentType<P>>): LazyComponent<P> {
  let loaded: ComponentType<P> | undefined
  let loading: Promise<ComponentType<P>> | undefined
  const start = (): Promise<ComponentType<P>> => {
    loading ??= load().then(
      (component) => (loaded = component),
      (error: unknown) => {
        loading = undefined // offline and not cached: the next showing tries again
        throw error
      },
    )
    return loading
  }
  function Lazy(props: P) {
    const { t } = useI18n()
    const [, setArrived] = useState<ComponentType<P> | undefined>(undefined)
    const [failed, setFailed] = useState(false)
    useEffect(() => {
      if (loaded) return
      let shown = true
      start().then(
        (component) => {
          if (shown) setArrived(() => component)
        },
        () => {
          if (shown) setFailed(true)
        },
      )
      return () => {
        shown = false
      }
    }, [])
    const Component = loaded
    if (Component) return <Component {...props} />
    return failed ? (
      <p class="error" role="alert">
        {t('status.loadFailed')}
      </p>
    ) : (
      <p class="muted">{t('status.loading')}</p>
    )
  }
  return Object.assign(Lazy, { preload: () => start().then(() => undefined) })
}
