// What the backend keeps doing on its own: sending the outbox and the letters again every few
// seconds (a relay may have gone away mid-way), and at once when the browser is back online.
// Stopped on stop and wipe, so a backend that was replaced stops answering the browser's events.
const FLUSH_INTERVAL_MS = 5000

export function startBackgroundFlush(init: { flush(): void; notify(): void }): () => void {
  const timer = setInterval(init.flush, FLUSH_INTERVAL_MS)
  const onOnline = (): void => {
    init.notify()
    init.flush()
  }
  addEventListener('online', onOnline)
  addEventListener('offline', init.notify)
  return () => {
    clearInterval(timer)
    removeEventListener('online', onOnline)
    removeEventListener('offline', init.notify)
  }
}
