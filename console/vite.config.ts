import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

/**
 * The web console: Preact through Vite's own JSX transform (no Babel plugin needed), built to
 * dist/console, which the API serves at `/`. No inline script or style in the output, so the
 * API's strict Content-Security-Policy holds. To work on it, `npm run build:console -- --watch`
 * beside a running API (`npm start`): the API serves each new build, same origin.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    target: 'es2020',
    assetsInlineLimit: 0, // every asset a file of its own: CSP allows 'self', not data: scripts or styles
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
});
