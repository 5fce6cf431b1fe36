// Photo-like pictures made in the page, for the image pipeline's tests and bench/media.bench.ts:
// a colour gradient, a few soft shapes, and grain, so JPEG has a camera photo's work to do
// (a flat fill would compress to nothing and measure nothing).

/** A small deterministic PRNG (mulberry32): the same seed draws the same picture. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
  }
}

export function drawPhoto(width: number, height: number, seed: number): OffscreenCanvas {
  const rand = random(seed)
  const canvas = new OffscreenCanvas(width, height)
  const g = canvas.getContext('2d')!
  const hue = Math.floor(rand() * 360)
  const sky = g.createLinearGradient(0, 0, width * rand(), height)
  sky.addColorStop(0, `hsl(${hue} 60% 70%)`)
  sky.addColorStop(0.6, `hsl(${(hue + 40) % 360} 50% 45%)`)
  sky.addColorStop(1, `hsl(${(hue + 90) % 360} 40% 25%)`)
  g.fillStyle = sky
  g.fillRect(0, 0, width, height)
  for (let i = 0; i < 24; i++) {
    const x = rand() * width
    const y = rand() * height
    const r = (0.05 + rand() * 0.2) * Math.min(width, height)
    const blob = g.createRadialGradient(x, y, 0, x, y, r)
    blob.addColorStop(0, `hsl(${Math.floor(rand() * 360)} 70% 55% / 0.8)`)
    blob.addColorStop(1, 'hsl(0 0% 50% / 0)')
    g.fillStyle = blob
    g.fillRect(x - r, y - r, 2 * r, 2 * r)
  }
  // grain: a 256-px tile of random noise repeated over the picture at low opacity
  const tile = new ImageData(256, 256)
  for (let i = 0; i < tile.data.length; i += 4) {
    const v = Math.floor(rand() * 256)
    tile.data[i] = v
    tile.data[i + 1] = (v + Math.floor(rand() * 64)) & 0xff
    tile.data[i + 2] = (v + Math.floor(rand() * 64)) & 0xff
    tile.data[i + 3] = 255
  }
  const grain = new OffscreenCanvas(256, 256)
  grain.getContext('2d')!.putImageData(tile, 0, 0)
  g.globalAlpha = 0.12
  g.fillStyle = g.createPattern(grain, 'repeat')!
  g.fillRect(0, 0, width, height)
  g.globalAlpha = 1
  return canvas
}

export async function photoJpeg(width: number, height: number, seed: number, quality = 0.92): Promise<Blob> {
  return drawPhoto(width, height, seed).convertToBlob({ type: 'image/jpeg', quality })
}
