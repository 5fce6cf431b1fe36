// A TCP proxy in front of a server that behaves like a slow link: every connection through it
// shares one downstream bandwidth (as a phone's page and its service worker do), and each
// direction adds half the round-trip time. CDP's network emulation throttles one page only, not
// the service worker's own requests, so this is what makes a page and its worker compete.
import { connect, createServer, type Server, type Socket } from 'node:net'

export interface ThrottledProxy {
  /** http://127.0.0.1:<port>/ */
  readonly url: string
  /** bytes sent from the server to the browser so far */
  bytesDown(): number
  /** the paths of the HTTP requests that crossed the link (answers from a browser cache never do), in order */
  requests(): string[]
  close(): Promise<void>
}

export async function startThrottledProxy(target: URL, init: { downBitsPerSecond: number; rttMs: number }): Promise<ThrottledProxy> {
  const bytesPerMs = init.downBitsPerSecond / 8 / 1000
  const halfRtt = init.rttMs / 2
  const sockets = new Set<Socket>()
  let down = 0
  const requested: string[] = []
  // request lines of HTTP/1.1 (GETs carry no body, so every line that looks like one is one)
  const REQUEST_LINE = /(?:^|\r\n)(?:GET|HEAD) (\S+) HTTP\/1\.[01]\r\n/g
  let linkFreeAt = 0 // when the shared downstream link has sent everything queued so far

  function pipe(from: Socket, to: Socket, downstream: boolean): void {
    let lastWriteAt = 0
    from.on('data', (chunk: Buffer) => {
      const now = Date.now()
      let at = now + halfRtt
      if (!downstream) for (const m of chunk.toString('latin1').matchAll(REQUEST_LINE)) requested.push(m[1]!)
      if (downstream) {
        linkFreeAt = Math.max(now, linkFreeAt) + chunk.length / bytesPerMs
        down += chunk.length
        at = linkFreeAt + halfRtt
      }
      lastWriteAt = Math.max(lastWriteAt, at)
      setTimeout(() => {
        if (!to.destroyed) to.write(chunk)
      }, at - now)
    })
    // after the last delayed write, not before it
    from.on('end', () => setTimeout(() => to.end(), Math.max(0, lastWriteAt - Date.now()) + 1))
    from.on('error', () => to.destroy())
    from.on('close', () => sockets.delete(from))
  }

  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname)
    sockets.add(client).add(upstream)
    pipe(client, upstream, false)
    pipe(upstream, client, true)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}/`,
    bytesDown: () => down,
    requests: () => [...requested],
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}
