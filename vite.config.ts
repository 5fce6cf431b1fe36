// The PWA build (DESIGN.md "The app"). `base: './'`: the built files work from any origin or
// path that serves them — any relay, any static host, a saved copy. The service worker is
// Workbox's generateSW through vite-plugin-pwa: the app shell and the Automerge wasm are
// precached, so the app opens offline.
import { defineConfig } from 'vite'
import { VitePWA } from 'vite-plugin-pwa'

export default defineConfig({
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    target: 'es2023',
    sourcemap: false,
    // Automerge's wasm is large; it is loaded lazily after first paint and precached.
    chunkSizeWarningLimit: 4096,
  },
  plugins: [
    VitePWA({
      registerType: 'autoUpdate',
      // an external registerSW.js: no inline script, so the CSP needs no 'unsafe-inline'
      injectRegister: 'script',
      includeAssets: ['icon.svg'],
      manifest: {
        name: 'Wildgrass 野草',
        short_name: '野草',
        description: 'A peer-to-peer, serverless, local-first microblog',
        lang: 'zh',
        start_url: './',
        scope: './',
        display: 'standalone',
        background_color: '#f6f7f2',
        theme_color: '#2f6b2f',
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,wasm,webmanifest}'],
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        // the base64 copy of the wasm is for Node; browsers fetch automerge-*.wasm
        globIgnores: ['**/automerge_wasm_bg_base64*'],
        navigateFallback: 'index.html',
        // invite links live in the fragment, which never reaches any server (protocol/invites.md)
        cleanupOutdatedCaches: true,
      },
    }),
  ],
})
