// One Vite configuration for both web apps: built into dist/web/<name>, served by the API server at /<name>/.
import path from 'node:path';
import { defineConfig, type UserConfig } from 'vite';

export function webApp(name: 'admin' | 'shop'): UserConfig {
  const root = path.join(import.meta.dirname, '..', name);
  return defineConfig({
    root,
    base: `/${name}/`,
    // No public folder: every asset is imported and so fingerprinted, bundled, and served from the same origin.
    publicDir: false,
    build: {
      outDir: path.join(import.meta.dirname, '..', '..', 'dist', 'web', name),
      emptyOutDir: true,
      // Inlined assets would need `data:` in the CSP's font and style sources: keep every file a file.
      assetsInlineLimit: 0,
      chunkSizeWarningLimit: 1500,
      rollupOptions: {
        // react-router marks its module "use client" (for React Server Components): meaningless in a browser bundle.
        onwarn(warning, warn) {
          if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
        },
      },
    },
    // `npx vite -c web/<name>/vite.config.mts` against a running `npm start` on 4000.
    server: { proxy: { '/graphql': 'http://127.0.0.1:4000', '/web-config.json': 'http://127.0.0.1:4000' } },
  });
}
