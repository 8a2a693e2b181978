import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type Plugin } from 'vite';

/**
 * Vant's icon font is embedded as woff2 (a data: URL) with a fallback on Alibaba's CDN. Every
 * browser that runs these pages reads woff2, and the fallback would be a request to a third
 * party that the Content-Security-Policy (font-src 'self' data:) refuses: drop it.
 */
function vantIconsLocalOnly(): Plugin {
  return {
    name: 'vant-icons-local-only',
    enforce: 'pre',
    transform(code, id) {
      if (!id.includes('vant') || !id.endsWith('.css') || !code.includes('at.alicdn.com')) return null;
      return { code: code.replace(/,\s*url\(["']?(?:https?:)?\/\/at\.alicdn\.com[^)]*\)\s*format\(["'][^"']+["']\)/g, ''), map: null };
    },
  };
}

// The H5 pages opened from the Official Account menu, served by the server at /h5/.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/h5/',
  plugins: [vue(), vantIconsLocalOnly()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    // WeChat's in-app browser on older phones: keep chunks small and warn early.
    chunkSizeWarningLimit: 200,
  },
});
