// The panic wipe reaches every tab and installed window of this origin: the wiping tab says so
// on a BroadcastChannel before it deletes anything, and the others close their databases and go
// blank (unloading drops the identity secret from their memory too). The databases also close
// themselves when another tab asks to delete them (versionchange), so a tab that missed the
// message, or a browser without BroadcastChannel, cannot hold the deletion up either.
// One channel object per tab for both directions: a message reaches every other BroadcastChannel
// of the same name, including another object in the sending tab, which would blank the wiping tab.
let channel: BroadcastChannel | undefined

function wipeChannel(): BroadcastChannel | undefined {
  if (typeof BroadcastChannel === 'undefined') return undefined
  channel ??= new BroadcastChannel('wildgrass-wipe')
  return channel
}

/** Tells the other tabs and windows of this origin that a wipe is starting. */
export function announceWipe(): void {
  wipeChannel()?.postMessage('wipe')
}

/** Calls `onWipe` when another tab or window of this origin starts a wipe. */
export function listenForWipe(onWipe: () => void): void {
  const own = wipeChannel()
  if (own !== undefined)
    own.onmessage = (event) => {
      if (event.data === 'wipe') onWipe()
    }
}

/** What a tab does when another one wipes: close what it holds open, then show nothing. */
export function goBlank(closeDatabases: () => void): void {
  try {
    closeDatabases()
  } catch {
    /* already closed */
  }
  location.replace('about:blank')
}
