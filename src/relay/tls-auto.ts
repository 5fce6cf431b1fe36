// `--auto-tls`: a `*.<peer id>.libp2p.direct` certificate through @ipshipyard/libp2p-auto-tls
// for an operator with a public address and no domain. The service proves to the p2p-forge
// (registration.libp2p.direct) that it controls the peer id, the forge answers Let's Encrypt's
// DNS-01 challenge, and the certificate arrives as `certificate:provision` on libp2p's event
// bus, like every other certificate (tls-events.ts). Its addresses are named
// `<a-b-c-d>.<peer id in base36>.libp2p.direct` after the public IP (tls-addresses.ts).
// What it keeps (the certificate, its RSA key and the ACME account key, in libp2p's keychain)
// lives under `<data>/auto-tls/`; the rest of libp2p's datastore (its peer store) stays in
// memory, as without --auto-tls, so a busy relay does not write a file per peer.
import { join } from 'node:path'
import { mkdirSync } from 'node:fs'
import { autoTLS } from '@ipshipyard/libp2p-auto-tls'
import { http } from '@libp2p/http'
import { keychain } from '@libp2p/keychain'
import { MemoryDatastore, MountDatastore } from 'datastore-core'
import { FsDatastore } from 'datastore-fs'
import { Key } from 'interface-datastore'

/** What auto-tls keeps: its certificate (`/libp2p/auto-tls/…`) and the keychain's keys (`/info/…`, `/pkcs8/…`). */
const PERSISTED = ['/libp2p/auto-tls', '/info', '/pkcs8']

export async function createAutoTlsDatastore(dataDir: string): Promise<MountDatastore> {
  const dir = join(dataDir, 'auto-tls')
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const disk = new FsDatastore(dir)
  await disk.open()
  return new MountDatastore([
    ...PERSISTED.map((prefix) => ({ prefix: new Key(prefix), datastore: disk })),
    { prefix: new Key('/'), datastore: new MemoryDatastore() },
  ])
}

/**
 * The services auto-tls needs besides identify: a keychain for its keys, @libp2p/http for its
 * request to the forge. autoConfirmAddress: the relay has no AutoNAT peers to confirm its public
 * address; it listens on it (public-addresses.ts), so the name mapped to it is confirmed too.
 */
export function autoTlsServices(): Record<string, (components: object) => unknown> {
  // libp2p hands every service all components and the other services; these factories name
  // the ones they need (keychain, http), which the relay's service map type does not list
  return {
    keychain: keychain(),
    http: http(),
    autoTLS: autoTLS({ autoConfirmAddress: true }),
  } as unknown as Record<string, (components: object) => unknown>
}
