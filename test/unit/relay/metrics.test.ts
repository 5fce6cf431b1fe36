import { describe, expect, it } from 'vitest'
import { createMetricsRegistry, parseMetricsText } from '../../../src/relay/metrics.ts'

describe('relay metrics exposition', () => {
  it('renders counters, gauges and collected gauges in the Prometheus text format', () => {
    const m = createMetricsRegistry()
    const msgs = m.counter('wg_gossip_messages_total', 'gossip messages by topic and outcome')
    msgs.inc({ topic: 'wg/1/events', outcome: 'valid' })
    msgs.inc({ outcome: 'valid', topic: 'wg/1/events' }, 2)
    msgs.inc({ topic: 'wg/1/events', outcome: 'rejected' })
    m.gauge('wg_peers', 'connected peers').set(7)
    m.collect('wg_rss_bytes', 'resident memory', () => 1234)
    m.collect('wg_multi', 'labelled', () => [{ labels: { a: 'x"y\\z\n' }, value: 1 }])
    const text = m.render()
    expect(text).toContain('# HELP wg_gossip_messages_total gossip messages by topic and outcome\n# TYPE wg_gossip_messages_total counter\n')
    expect(text).toContain('wg_gossip_messages_total{topic="wg/1/events",outcome="valid"} 3\n')
    expect(text).toContain('# TYPE wg_peers gauge\nwg_peers 7\n')
    expect(text).toContain('wg_multi{a="x\\"y\\\\z\\n"} 1\n')
    const parsed = parseMetricsText(text)
    expect(parsed.get('wg_rss_bytes')).toBe(1234)
    expect(parsed.get('wg_gossip_messages_total{topic="wg/1/events",outcome="rejected"}')).toBe(1)
    expect(msgs.get({ outcome: 'valid', topic: 'wg/1/events' })).toBe(3)
  })

  it('refuses bad or duplicate names', () => {
    const m = createMetricsRegistry()
    m.counter('a_total', 'x')
    expect(() => m.counter('a_total', 'x')).toThrow()
    expect(() => m.gauge('bad-name', 'x')).toThrow()
  })
})
