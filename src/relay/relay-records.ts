// Opening relay records received on the relays topic (protocol/relays.md) for the gossip
// validator (src/net/gossip.ts RelayRecordOpener): decode strictly, check the signature and
// timestamp through core, and give back dialable multiaddrs ending in /p2p/<peer>.
import { MAX_RELAY_RECORD_BYTES, openRelayRecord } from '../core/relay-record.ts'

export const relayRecordOpener = {
  maxBytes: MAX_RELAY_RECORD_BYTES,
  async open(bytes: Uint8Array): Promise<{ multiaddrs: string[] }> {
    const record = await openRelayRecord(bytes)
    return { multiaddrs: record.addrs.map((a) => (a.includes('/p2p/') ? a : `${a}/p2p/${record.peer}`)) }
  },
}
