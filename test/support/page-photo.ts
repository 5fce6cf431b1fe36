// A picture drawn in a person's page (a gradient on an OffscreenCanvas), as JPEG or PNG bytes:
// a real image file made by the browser, for the photo tests. `grain`: random specks over it,
// so that it compresses about as badly as a photo (a bare gradient is a few kilobytes).
import type { Person } from './app-e2e.ts'

export async function drawnInPage(p: Person, type: 'image/jpeg' | 'image/png', w: number, h: number, grain = false): Promise<Uint8Array> {
  const base64 = await p.page.evaluate(
    async ({ type, w, h, grain }) => {
      const canvas = new OffscreenCanvas(w, h)
      const g = canvas.getContext('2d')!
      const gradient = g.createLinearGradient(0, 0, w, h)
      gradient.addColorStop(0, '#e8a33d')
      gradient.addColorStop(1, '#2d5d8a')
      g.fillStyle = gradient
      g.fillRect(0, 0, w, h)
      for (let i = 0; grain && i < (w * h) / 40; i++) {
        g.fillStyle = `hsl(${Math.random() * 360} 60% ${30 + Math.random() * 40}%)`
        g.fillRect(Math.random() * w, Math.random() * h, 2 + Math.random() * 6, 2 + Math.random() * 6)
      }
      const bytes = new Uint8Array(await (await canvas.convertToBlob({ type, quality: 0.9 })).arrayBuffer())
      let s = ''
      for (const b of bytes) s += String.fromCharCode(b)
      return btoa(s)
    },
    { type, w, h, grain },
  )
  return new Uint8Array(Buffer.from(base64, 'base64'))
}
