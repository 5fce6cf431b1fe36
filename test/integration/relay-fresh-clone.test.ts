// A fresh clone's `npm run relay` serves the app at the address it prints: the files a clone
// has (tracked ones, no dist/, no .data), the dependencies installed, and the relay builds the
// app before it starts (src/relay/app-build.ts).
import { afterAll, describe, expect, it } from 'vitest'
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
let clone: string | undefined
let child: ChildProcess | undefined

afterAll(async () => {
  if (child?.pid !== undefined && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r))
    process.kill(-child.pid, 'SIGKILL') // npm, its shell and the relay: one process group
    await exited
  }
  if (clone !== undefined) rmSync(clone, { recursive: true, force: true })
})

/** What a clone of this tree would hold: tracked files and new ones not ignored. */
function copyTree(to: string): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f !== '')
  for (const file of files) {
    if (!existsSync(join(ROOT, file))) continue // deleted in the work tree
    mkdirSync(dirname(join(to, file)), { recursive: true })
    cpSync(join(ROOT, file), join(to, file))
  }
}

describe('npm run relay in a fresh clone', () => {
  it('builds the app and serves it at the address it prints', async () => {
    clone = mkdtempSync(join(tmpdir(), 'wg-clone-'))
    copyTree(clone)
    expect(existsSync(join(clone, 'dist'))).toBe(false)
    symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'))
    const data = join(clone, 'relay-data')
    child = spawn('npm', ['run', 'relay', '--', '--host', '127.0.0.1', '--port', '0', '--ws-port', '0', '--data', data], {
      cwd: clone,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    let out = ''
    let err = ''
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no address printed; stdout:\n${out}\nstderr:\n${err}`)), 170_000)
      child!.stdout!.on('data', (d: Buffer) => {
        out += d.toString()
        const m = /Open the app:\s+(\S+)/.exec(out)
        if (m) {
          clearTimeout(timer)
          resolve(m[1]!)
        }
      })
      child!.once('exit', (code) => reject(new Error(`npm run relay exited ${code}:\n${out}\n${err}`)))
    })
    expect(err).toContain('Building the app (vite build)')
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    const page = await fetch(url)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('<div id="app">')
    const script = /<script[^>]+src="\.?\/?([^"]+\.js)"/.exec(html)?.[1]
    expect(script).toBeDefined()
    const js = await fetch(new URL(script!, url))
    expect(js.status).toBe(200)
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    process.kill(-child.pid!, 'SIGTERM')
  })
})
