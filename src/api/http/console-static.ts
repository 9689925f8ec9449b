import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { documentedRoutes } from '../openapi/build-openapi';

/**
 * The console's pages load only the console's own files and talk only to this API: no inline
 * script or style, no other origin, no framing (clickjacking), no plugins.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** Paths the API answers that no route of its contract names (served by middleware, or by other modules). */
const OTHER_API_SEGMENTS = ['metrics', 'auth', 'users', 'jurisdictions', 'codec', 'docs', 'openapi.json', 'health'];

/** The first path segment of every API route: a page of the console never takes one of these, so it never shadows the API. */
export function apiSegments(): Set<string> {
  const firsts = Object.values(documentedRoutes()).map((r) => r.path.split('/')[1]);
  return new Set([...firsts, ...OTHER_API_SEGMENTS]);
}

function consoleHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', CONSOLE_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
}

/**
 * Serves the built web console (dist/console, or CONSOLE_DIR) at `/`, same origin as the API:
 * its hashed assets as static files, and its page for `/` and for any other GET that a browser
 * navigates to (Accept: text/html) outside the API's paths, so that a reload of `/inbox` or
 * `/case/…` shows the console (its router then picks the page). API paths, /docs, /openapi.json
 * and /health go on to their routes whatever the Accept header. Without a built console this
 * does nothing and the API runs alone. Returns whether the console is served.
 */
export function serveConsole(app: NestExpressApplication, dir = resolve(process.env.CONSOLE_DIR ?? join('dist', 'console'))): boolean {
  const indexFile = join(dir, 'index.html');
  if (!existsSync(indexFile)) return false;
  const reserved = apiSegments();
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const segment = req.path.split('/')[1] ?? '';
    if (reserved.has(segment) || segment === 'assets') return next();
    if (segment !== '' && !(req.headers.accept ?? '').includes('text/html')) return next();
    consoleHeaders(res);
    res.setHeader('Cache-Control', 'no-cache'); // the page names the current assets: always revalidated
    res.sendFile(indexFile); // read at each request: a rebuilt console is served without a restart
  });
  app.useStaticAssets(dir, {
    index: false,
    setHeaders: (res: Response, path: string) => {
      consoleHeaders(res);
      // Vite names every asset by its content hash: a new build gets new names.
      if (path.includes(`${join(dir, 'assets')}`)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    },
  });
  return true;
}
