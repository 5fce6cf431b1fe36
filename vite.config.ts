// The PWA build (src/app/README.md). `base: './'`: the built files work from any origin or path
// that serves them — any relay, any static host, a saved copy. The release step
// (scripts/release/vite-plugin.ts) builds our own service worker, signs the release manifest and
// writes the compressed copies; the web app manifest and icons are plain files in public/.
import { defineConfig } from 'vite'
import { wildgrassRelease } from './scripts/release/vite-plugin.ts'

export default defineConfig({
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    target: 'es2023',
    sourcemap: false,
    // Automerge's wasm is large; it is loaded lazily after first paint and precached.
    chunkSizeWarningLimit: 4096,
  },
  plugins: [wildgrassRelease()],
})
