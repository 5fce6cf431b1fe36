// An ordered set of string keys for the in-memory storage: sorted buckets of bounded size
// (a one-level B+ tree), so inserting into a million keys stays cheap (a flat sorted array
// would move half the array on every insert).

const MAX_BUCKET = 512

export class SortedKeys {
  #buckets: string[][] = []
  #size = 0

  get size(): number {
    return this.#size
  }

  /** Index of the bucket that holds or would hold `key`. */
  #bucketFor(key: string): number {
    const buckets = this.#buckets
    let lo = 0
    let hi = buckets.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (buckets[mid]![0]! <= key) lo = mid
      else hi = mid - 1
    }
    return lo
  }

  add(key: string): void {
    if (this.#buckets.length === 0) {
      this.#buckets.push([key])
      this.#size = 1
      return
    }
    const b = this.#bucketFor(key)
    const bucket = this.#buckets[b]!
    const i = lowerBound(bucket, key)
    if (bucket[i] === key) return
    bucket.splice(i, 0, key)
    this.#size++
    if (bucket.length > MAX_BUCKET) this.#buckets.splice(b + 1, 0, bucket.splice(MAX_BUCKET >> 1))
  }

  delete(key: string): void {
    if (this.#buckets.length === 0) return
    const b = this.#bucketFor(key)
    const bucket = this.#buckets[b]!
    const i = lowerBound(bucket, key)
    if (bucket[i] !== key) return
    bucket.splice(i, 1)
    this.#size--
    if (bucket.length === 0) this.#buckets.splice(b, 1)
  }

  /** Keys k with lower < k (or <=) ... ascending, or descending when `reverse`. */
  *iterate(from: string, inclusive: boolean, reverse: boolean): Generator<string> {
    const buckets = this.#buckets
    if (buckets.length === 0) return
    let b = this.#bucketFor(from)
    let bucket = buckets[b]!
    let i = lowerBound(bucket, from)
    if (!reverse) {
      if (!inclusive && bucket[i] === from) i++
      for (; b < buckets.length; b++, i = 0) {
        bucket = buckets[b]!
        for (; i < bucket.length; i++) yield bucket[i]!
      }
    } else {
      // start at the last key <= from (or < from when exclusive)
      if (i >= bucket.length || bucket[i]! > from || (!inclusive && bucket[i] === from)) i--
      for (; b >= 0; b--) {
        bucket = buckets[b]!
        if (i === Infinity) i = bucket.length - 1
        for (; i >= 0; i--) yield bucket[i]!
        i = Infinity
      }
    }
  }
}

function lowerBound(list: readonly string[], key: string): number {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (list[mid]! < key) lo = mid + 1
    else hi = mid
  }
  return lo
}
