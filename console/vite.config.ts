import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

// The staff console, served by the server at /console/ (server/staff/console-static.ts).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    chunkSizeWarningLimit: 600,
    rollupOptions: {
      output: {
        // Element Plus changes less often than our pages: its own chunk stays cached across releases.
        manualChunks: (id) => (id.includes('node_modules/element-plus') || id.includes('node_modules/@element-plus') ? 'element-plus' : id.includes('node_modules/') ? 'vendor' : undefined),
      },
    },
  },
  // ws: the desk's socket (/api/desk/ws) goes through the same proxy.
  server: { proxy: { '/api': { target: 'http://localhost:3000', ws: true } } },
});
