import type { NextFunction, Request, Response } from 'express';

/**
 * CORS for the codec endpoints only: the Temporal UI runs on another origin and calls them
 * from the browser (with a preflight: JSON body, X-Namespace and maybe Authorization). Only the
 * configured origins (CODEC_CORS_ORIGINS) get the headers; credentials are allowed so that the
 * session cookie can go along. Everything else in the API stays same-origin.
 */
export function codecCors(allowedOrigins: readonly string[]) {
  const allowed = new Set(allowedOrigins);
  return (req: Request, res: Response, next: NextFunction): void => {
    const origin = req.headers.origin;
    res.vary('Origin');
    if (origin && allowed.has(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Namespace');
      res.setHeader('Access-Control-Max-Age', '600');
    }
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next();
  };
}
