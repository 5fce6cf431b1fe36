// Reading a whole node:http(s) response as text, for tests that send raw requests.
import type { IncomingMessage } from 'node:http'

export interface TextResponse {
  readonly status: number
  readonly headers: Record<string, string | string[] | undefined>
  readonly body: string
}

export function readTextResponse(res: IncomingMessage): Promise<TextResponse> {
  return new Promise((resolve, reject) => {
    let body = ''
    res.setEncoding('utf8')
    res.on('data', (c: string) => (body += c))
    res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    res.on('error', reject)
  })
}
