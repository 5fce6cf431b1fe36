// Locks the app again after a chosen idle time: no key, pointer, touch or scroll in this tab for
// that long. Locking reloads the page, which drops the seed and every opened value from memory;
// the new page asks for the passphrase (main.tsx). Time spent hidden counts as idle.
const ACTIVITY = ['pointerdown', 'keydown', 'wheel', 'touchstart', 'scroll'] as const

export interface IdleLock {
  /** 0 stops the timer (locks only when the app is closed) */
  setMinutes(minutes: number): void
  stop(): void
}

export function startIdleLock(init: { minutes: number; lock: () => void; now?: () => number }): IdleLock {
  const now = init.now ?? Date.now
  let minutes = init.minutes
  let last = now()
  let timer: ReturnType<typeof setInterval> | undefined
  const onActivity = (): void => { last = now() }
  // a check every few seconds rather than one long timeout: timers are throttled or frozen in
  // hidden tabs, and the comparison with the clock still locks on the first tick after waking
  const check = (): void => { if (minutes > 0 && now() - last >= minutes * 60_000) init.lock() }
  const start = (): void => {
    stop()
    last = now()
    if (minutes <= 0) return
    for (const type of ACTIVITY) addEventListener(type, onActivity, { passive: true, capture: true })
    addEventListener('visibilitychange', check)
    timer = setInterval(check, 5_000)
  }
  function stop(): void {
    if (timer !== undefined) clearInterval(timer)
    timer = undefined
    for (const type of ACTIVITY) removeEventListener(type, onActivity, { capture: true })
    removeEventListener('visibilitychange', check)
  }
  start()
  return {
    setMinutes(m) { minutes = m; start() },
    stop,
  }
}
