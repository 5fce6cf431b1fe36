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
  /** the paths of the HTTP requests the server answered through the link (answers from a browser cache never cross it), in the order they were asked */
  requests(): string[]
  /**
   * the paths of requests that crossed the link and were never answered: sent on a kept-alive
   * connection as the server closed it for being idle (the relay's keepAliveTimeout), which a
   * browser sends again on a new connection (so the path is in requests() once, not twice)
   */
  unanswered(): string[]
  close(): Promise<void>
}

interface Asked {
  readonly path: string
  answered: boolean
}

export async function startThrottledProxy(target: URL, init: { downBitsPerSecond: number; rttMs: number }): Promise<ThrottledProxy> {
  const bytesPerMs = init.downBitsPerSecond / 8 / 1000
  const halfRtt = init.rttMs / 2
  const sockets = new Set<Socket>()
  let down = 0
  const asked: Asked[] = []
  // request lines of HTTP/1.1 (GETs carry no body, so every line that looks like one is one)
  const REQUEST_LINE = /(?:^|\r\n)(?:GET|HEAD) (\S+) HTTP\/1\.[01]\r\n/g
  let linkFreeAt = 0 // when the shared downstream link has sent everything queued so far

  function pipe(from: Socket, to: Socket, downstream: boolean, seen: (chunk: Buffer) => void): void {
    // What is due goes out in the order it came, from one timer at a time: with a timer per chunk,
    // a small chunk's shorter delay could fire before the chunk ahead of it (Node counts a delay
    // from the event loop's cached clock, not from Date.now()), which scrambled responses when
    // the process lost the CPU between two reads: Chromium saw ERR_INVALID_HTTP_RESPONSE.
    const queue: { at: number; chunk: Buffer | undefined }[] = [] // undefined: the end
    let timer: ReturnType<typeof setTimeout> | undefined
    let lastAt = 0
    const flush = (): void => {
      timer = undefined
      while (queue.length > 0 && queue[0]!.at <= Date.now()) {
        const { chunk } = queue.shift()!
        if (to.destroyed) continue
        if (chunk === undefined) to.end()
        else to.write(chunk)
      }
      if (queue.length > 0) timer = setTimeout(flush, queue[0]!.at - Date.now())
    }
    const send = (at: number, chunk: Buffer | undefined): void => {
      lastAt = Math.max(lastAt, at)
      queue.push({ at: lastAt, chunk })
      timer ??= setTimeout(flush, lastAt - Date.now())
    }
    from.on('data', (chunk: Buffer) => {
      seen(chunk)
      const now = Date.now()
      let at = now + halfRtt
      if (downstream) {
        linkFreeAt = Math.max(now, linkFreeAt) + chunk.length / bytesPerMs
        down += chunk.length
        at = linkFreeAt + halfRtt
      }
      send(at, chunk)
    })
    // after the last delayed write, not before it
    from.on('end', () => send(Date.now(), undefined))
    from.on('error', () => to.destroy())
    from.on('close', () => sockets.delete(from))
  }

  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname)
    sockets.add(client).add(upstream)
    // Chromium does not pipeline: it sends a connection's next request only once the last one is
    // answered, so whatever the server sends on a connection answers the last request on it
    let waiting: Asked | undefined
    pipe(client, upstream, false, (chunk) => {
      for (const m of chunk.toString('latin1').matchAll(REQUEST_LINE)) {
        waiting = { path: m[1]!, answered: false }
        asked.push(waiting)
      }
    })
    pipe(upstream, client, true, () => {
      if (waiting) waiting.answered = true
      waiting = undefined
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}/`,
    bytesDown: () => down,
    requests: () => asked.filter((a) => a.answered).map((a) => a.path),
    unanswered: () => asked.filter((a) => !a.answered).map((a) => a.path),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}
