import { defineConfig } from 'vite';

// The users service serves dist/ at USHER_DASHBOARD_PATH and replaces this placeholder base in
// index.html, so one build works under any path. No plugin: esbuild compiles the TSX (react-jsx).
export default defineConfig({
  base: '/__USHER_BASE__/',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, modulePreload: { polyfill: false } },
});
