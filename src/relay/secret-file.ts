// Writing a file that holds a secret (the relay's keys, the WebRTC certificate's private key):
// mode 0600 from the first byte, fsync'd so a crash cannot leave half a key.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs'

/**
 * Creates `path` (0600) holding `data`. Never overwrites: fails with EEXIST if `path` exists,
 * unless `replace`, which writes a fresh temporary file and renames it over `path` (atomic).
 */
export function writeSecretFile(path: string, data: Uint8Array | string, options: { replace?: boolean } = {}): void {
  if (options.replace !== true) {
    writeNew(path, data)
    return
  }
  const tmp = `${path}.tmp`
  // a leftover from a crash may have any mode: start from a new file, never reuse it
  rmSync(tmp, { force: true })
  writeNew(tmp, data)
  renameSync(tmp, path)
}

function writeNew(path: string, data: Uint8Array | string): void {
  const fd = openSync(path, 'wx', 0o600)
  try {
    writeFileSync(fd, data) // loops until all is written (one writeSync may write less)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}
