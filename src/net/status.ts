// A tiny subscribable value (the app turns it into a signal; no UI library here).
export interface Subscribable<T> {
  get(): T
  subscribe(listener: (value: T) => void): () => void
}

export interface Writable<T> extends Subscribable<T> {
  set(value: T): void
}

export function createWritable<T>(initial: T, equal: (a: T, b: T) => boolean = Object.is): Writable<T> {
  let value = initial
  const listeners = new Set<(value: T) => void>()
  return {
    get: () => value,
    set(next) {
      if (equal(value, next)) return
      value = next
      for (const l of listeners) l(value)
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
