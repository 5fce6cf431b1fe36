// A small Prometheus registry: counters and gauges with labels, rendered in the text
// exposition format 0.0.4 (https://prometheus.io/docs/instrumenting/exposition_formats/).
// Hand-written because it is small and the relay needs no more.

export type Labels = Readonly<Record<string, string>>

interface Family {
  readonly name: string
  readonly help: string
  readonly type: 'counter' | 'gauge'
  readonly values: Map<string, { labels: Labels; value: number }>
  /** gauges read at scrape time */
  readonly collect?: () => Array<{ labels?: Labels; value: number }> | number
}

export interface Counter {
  inc(labels?: Labels, by?: number): void
  get(labels?: Labels): number
}

export interface Gauge {
  set(value: number, labels?: Labels): void
}

export interface MetricsRegistry {
  counter(name: string, help: string): Counter
  gauge(name: string, help: string): Gauge
  /** a gauge (or a counter kept elsewhere, type 'counter') whose value is read when /metrics is scraped */
  collect(name: string, help: string, read: () => Array<{ labels?: Labels; value: number }> | number, type?: 'counter' | 'gauge'): void
  render(): string
}

export function createMetricsRegistry(): MetricsRegistry {
  const families = new Map<string, Family>()

  function register(name: string, help: string, type: Family['type'], collect?: Family['collect']): Family {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) throw new Error(`bad metric name ${name}`)
    if (families.has(name)) throw new Error(`metric ${name} registered twice`)
    const family: Family = { name, help, type, values: new Map(), ...(collect ? { collect } : {}) }
    families.set(name, family)
    return family
  }

  function slot(family: Family, labels: Labels) {
    const key = labelKey(labels)
    let entry = family.values.get(key)
    if (entry === undefined) {
      entry = { labels, value: 0 }
      family.values.set(key, entry)
    }
    return entry
  }

  return {
    counter(name, help) {
      const family = register(name, help, 'counter')
      return {
        inc(labels = {}, by = 1) {
          slot(family, labels).value += by
        },
        get(labels = {}) {
          return family.values.get(labelKey(labels))?.value ?? 0
        },
      }
    },
    gauge(name, help) {
      const family = register(name, help, 'gauge')
      return {
        set(value, labels = {}) {
          slot(family, labels).value = value
        },
      }
    },
    collect(name, help, read, type = 'gauge') {
      register(name, help, type, read)
    },
    render() {
      const lines: string[] = []
      for (const family of families.values()) {
        lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`)
        let samples: Array<{ labels?: Labels; value: number }> = [...family.values.values()]
        if (family.collect) {
          const read = family.collect()
          samples = typeof read === 'number' ? [{ value: read }] : read
        }
        // a counter that never moved is 0, not absent (rate() and alerts need the series)
        if (samples.length === 0 && !family.collect) samples = [{ value: 0 }]
        for (const s of samples) lines.push(`${family.name}${formatLabels(s.labels ?? {})} ${formatValue(s.value)}`)
      }
      return lines.join('\n') + '\n'
    },
  }
}

function labelKey(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)))
}

function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels)
  if (entries.length === 0) return ''
  return '{' + entries.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`).join(',') + '}'
}

function escapeHelp(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN'
  if (v === Infinity) return '+Inf'
  if (v === -Infinity) return '-Inf'
  return String(v)
}

/** Parse the exposition text back into name{labels} → value; for tests and the benchmark. */
export function parseMetricsText(text: string): Map<string, number> {
  const out = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const cut = line.lastIndexOf(' ')
    out.set(line.slice(0, cut), Number(line.slice(cut + 1)))
  }
  return out
}
