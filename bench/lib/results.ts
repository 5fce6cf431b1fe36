// Benchmarks print figures and merge them into bench/results.json (a flat object of
// metric name to number, plus `_meta`). Nothing here asserts a time.
import { readFileSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'

const resultsPath = new URL('../results.json', import.meta.url)

export type Figures = Record<string, number>

export function recordResults(figures: Figures): void {
  let current: Record<string, unknown> = {}
  try {
    current = JSON.parse(readFileSync(resultsPath, 'utf8')) as Record<string, unknown>
  } catch {
    // first run: no file yet
  }
  for (const [name, value] of Object.entries(figures)) current[name] = round(value)
  current._meta = {
    machine: `${cpus()[0]?.model ?? 'unknown cpu'} x${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GiB`,
    node: process.version,
    date: new Date().toISOString(),
  }
  const sorted = Object.fromEntries(Object.entries(current).sort(([a], [b]) => (a === '_meta' ? -1 : b === '_meta' ? 1 : a.localeCompare(b))))
  writeFileSync(resultsPath, JSON.stringify(sorted, null, 2) + '\n')
  printTable(figures)
}

export function printTable(figures: Figures): void {
  const width = Math.max(...Object.keys(figures).map((k) => k.length))
  for (const [name, value] of Object.entries(figures)) console.log(`${name.padEnd(width)}  ${round(value)}`)
}

function round(value: number): number {
  return Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 1000) / 1000
}

/** Percentile (0..100) of a list of numbers, nearest-rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank]!
}
