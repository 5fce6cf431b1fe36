// A bounded least-recently-used map: a Map keeps insertion order, so a hit is moved to the end
// and the first key is the one to evict. Used by the key caches of the signature verifiers.

export interface LruMap<V> {
  /** the value, marked as just used */
  get(key: string): V | undefined
  /** stores the value; past the limit the least recently used entry goes */
  set(key: string, value: V): void
  /** the value without marking it used */
  peek(key: string): V | undefined
  delete(key: string): void
}

export function createLruMap<V>(limit: number): LruMap<V> {
  const map = new Map<string, V>()
  return {
    get(key) {
      const hit = map.get(key)
      if (hit !== undefined) {
        map.delete(key)
        map.set(key, hit)
      }
      return hit
    },
    set(key, value) {
      map.delete(key)
      map.set(key, value)
      if (map.size > limit) {
        const oldest = map.keys().next().value
        if (oldest !== undefined) map.delete(oldest)
      }
    },
    peek: (key) => map.get(key),
    delete: (key) => void map.delete(key),
  }
}
