// Builds the mock shell and serves the built UI (ui/dist) with the production CSP.
import { createServer } from 'node:net';
import { build, preview } from 'vite';
import type { TestProject } from 'vitest/node';
import { CSP } from './csp';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export default async function setup(project: TestProject) {
  await build({ configFile: 'e2e/vite.mock.config.ts', logLevel: 'warn' });
  const port = await freePort();
  const server = await preview({
    configFile: false,
    root: process.cwd(),
    build: { outDir: 'dist' },
    preview: { host: '127.0.0.1', port, strictPort: true, headers: { 'Content-Security-Policy': CSP } },
    logLevel: 'warn',
  });
  project.provide('baseUrl', `http://127.0.0.1:${port}/`);
  return async () => {
    await server.close();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}
