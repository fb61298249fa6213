import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'electron-vite'
import { resolve } from 'node:path'
import type { Plugin } from 'vite'
import { META_CONTENT_SECURITY_POLICY } from './src/main/app/security'

/** The renderer's CSP comes from the same constant the Electron session and the web server send. */
const contentSecurityPolicy = (): Plugin => ({
  name: 'digit-studio-csp',
  transformIndexHtml: () => [
    {
      tag: 'meta',
      attrs: { 'http-equiv': 'Content-Security-Policy', content: META_CONTENT_SECURITY_POLICY },
      injectTo: 'head-prepend'
    }
  ]
})

export default defineConfig({
  main: {
    build: {
      // Package dependencies stay external (tfjs-node is an optional one): native code is never bundled, and
      // electron-builder unpacks it from the asar.
      externalizeDeps: { include: ['@tensorflow/tfjs-node'] },
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          web: resolve('src/main/web.ts'),
          cli: resolve('src/cli/index.ts'),
          'training-worker': resolve('src/main/training/worker.ts')
        }
      }
    }
  },
  preload: {
    build: {
      // A sandboxed preload cannot require packages: bundle everything it uses into one CommonJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: resolve('src/renderer'),
    build: { rollupOptions: { input: { index: resolve('src/renderer/index.html') } } },
    plugins: [svelte({ configFile: resolve('svelte.config.js') }), contentSecurityPolicy()]
  }
})
