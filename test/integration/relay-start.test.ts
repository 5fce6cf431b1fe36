// `npm start`: builds the app when needed, then one relay on localhost serving it.
import { afterAll, describe, expect, it } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { makeTempDataDir, cleanupRelays } from '../support/relay-process.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
let child: ChildProcess | undefined

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM')
    await new Promise((r) => child!.once('exit', r))
  }
  await cleanupRelays()
})

describe('npm start', () => {
  it('leaves an up-to-date dist/ built, starts a localhost relay serving the app, and stops on SIGTERM', async () => {
    const data = makeTempDataDir()
    child = spawn(process.execPath, ['scripts/start.ts', '--port', '0', '--ws-port', '0', '--json', '--data', data], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout!.setEncoding('utf8')
    const ready = await new Promise<{ http: string; multiaddrs: string[] }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not ready: ${out}`)), 150_000)
      child!.stdout!.on('data', (d: string) => {
        out += d
        const line = out.split('\n').find((l) => l.startsWith('{'))
        if (line !== undefined) {
          clearTimeout(timer)
          resolve(JSON.parse(line) as { http: string; multiaddrs: string[] })
        }
      })
      child!.once('exit', (code) => reject(new Error(`npm start exited ${code}: ${out}`)))
    })
    expect(existsSync(`${ROOT}/dist/index.html`)).toBe(true)
    expect(statSync(`${ROOT}/dist/index.html`).size).toBeGreaterThan(0)
    expect(ready.http).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/) // localhost only
    expect(ready.multiaddrs.every((a) => a.startsWith('/ip4/127.0.0.1/'))).toBe(true)
    const res = await fetch(ready.http)
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('<div id="app">')
    child.kill('SIGTERM')
    const code = await new Promise((r) => child!.once('exit', r))
    expect(code).toBe(0)
  })
})
