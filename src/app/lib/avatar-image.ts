// Turns a picked image file into a small square JPEG data: URL (the feed document bounds the
// avatar's size, protocol/feed-document.md), drawn through a canvas so that no metadata
// (EXIF location!) of the original file survives.
const SIZE = 96

export async function readAvatarFile(file: File): Promise<string> {
  const bitmap = await createImageBitmap(file)
  const canvas = document.createElement('canvas')
  canvas.width = SIZE
  canvas.height = SIZE
  const context = canvas.getContext('2d')
  if (!context) throw new Error('no 2d canvas')
  const side = Math.min(bitmap.width, bitmap.height)
  context.drawImage(bitmap, (bitmap.width - side) / 2, (bitmap.height - side) / 2, side, side, 0, 0, SIZE, SIZE)
  bitmap.close()
  return canvas.toDataURL('image/jpeg', 0.8)
}
