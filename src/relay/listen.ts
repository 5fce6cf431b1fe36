// Binding a server to its port: resolves once it listens, rejects with the bind error
// (EADDRINUSE, EACCES for a port below 1024 without the capability) instead of crashing later.
import type { Server } from 'node:net'

export function listenOn(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
}
