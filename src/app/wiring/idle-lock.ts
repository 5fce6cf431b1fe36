// Locks the app again after a chosen idle time: no key, pointer, touch or scroll in this tab for
// that long. Locking reloads the page, which drops the seed and every opened value from memory;
// the new page asks for the passphrase (main.tsx). Time spent hidden counts as idle.
const ACTIVITY = ['pointerdown', 'keydown', 'wheel', 'touchstart', 'scroll'] as const

export interface IdleLock {
  /** 0 stops the timer (locks only when the app is closed) */
  setMinutes(minutes: number): void
  stop(): void
}

export interface IdleLockInit {
  minutes: number
  lock: () => void
  now?: () => number
  /** where activity is heard (default: the window) */
  target?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>
}

export function startIdleLock(init: IdleLockInit): IdleLock {
  const now = init.now ?? Date.now
  const target = init.target ?? globalThis
  let minutes = init.minutes
  let last = now()
  let timer: ReturnType<typeof setInterval> | undefined
  const onActivity = (): void => {
    last = now()
  }
  // a check every few seconds rather than one long timeout: timers are throttled or frozen in
  // hidden tabs, and the comparison with the clock still locks on the first tick after waking
  const check = (): void => {
    if (minutes <= 0 || now() - last < minutes * 60_000) return
    stop() // once: the reload it asks for may take a moment
    init.lock()
  }
  const start = (): void => {
    stop()
    last = now()
    if (minutes <= 0) return
    for (const type of ACTIVITY) target.addEventListener(type, onActivity, { passive: true, capture: true })
    target.addEventListener('visibilitychange', check)
    timer = setInterval(check, 5_000)
  }
  function stop(): void {
    if (timer !== undefined) clearInterval(timer)
    timer = undefined
    for (const type of ACTIVITY) target.removeEventListener(type, onActivity, { capture: true })
    target.removeEventListener('visibilitychange', check)
  }
  start()
  return {
    setMinutes(m) {
      minutes = m
      start()
    },
    stop,
  }
}
