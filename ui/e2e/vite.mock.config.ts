import { defineConfig } from 'vite';

// Bundles the fake shell into one script the browser tests inject before the app loads.
export default defineConfig({
  build: {
    outDir: 'e2e/.build',
    emptyOutDir: true,
    lib: { entry: 'e2e/mock/backend.ts', formats: ['iife'], name: 'ZapisMock', fileName: () => 'mock.js' },
  },
});
