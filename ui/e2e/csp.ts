// The Content-Security-Policy the app is tested under; tauri.conf.json should
// carry the same (Tauri adds its own ipc: and asset: sources on top).
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "media-src 'self' asset: http://asset.localhost",
  "connect-src 'self' ipc: http://ipc.localhost",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
