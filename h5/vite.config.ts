import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

// The H5 pages opened from the Official Account menu, served by the server at /h5/.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/h5/',
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    // WeChat's in-app browser on older phones: keep chunks small and warn early.
    chunkSizeWarningLimit: 200,
  },
});
