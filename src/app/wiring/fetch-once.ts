// Work a screen needs once per key when first shown (a stranger's feed document, a thread's
// replies from its beginning). A key whose work could not run (no network session, no relay
// connected yet) or failed is tried again the next time the screen asks: a profile opened
// while the app is still connecting fills in once it is online, instead of staying empty.
export function createFetchOnce<K>(work: (key: K) => Promise<boolean>): (key: K) => void {
  const done = new Set<K>()
  const running = new Set<K>()
  return (key) => {
    if (done.has(key) || running.has(key)) return
    running.add(key)
    work(key)
      .then(
        (ok) => ok && done.add(key),
        () => undefined,
      )
      .finally(() => running.delete(key))
  }
}
