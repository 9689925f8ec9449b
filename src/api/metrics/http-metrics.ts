import type { NextFunction, Request, Response } from 'express';
import { Histogram, type Registry } from 'prom-client';
import { methodLabel, routeTemplate } from './route-template';

/** Every request's duration, from its arrival to its last byte sent, by method, route template and status. */
export class HttpMetrics {
  private readonly duration: Histogram<'method' | 'route' | 'status'>;

  constructor(registry: Registry) {
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Duration of HTTP requests, by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
  }

  /** Express middleware, mounted first. A request cut short (the client went away) counts when its socket closes. */
  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    let done = false;
    const record = () => {
      if (done) return;
      done = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.duration.observe({ method: methodLabel(req.method), route: routeTemplate(req), status: String(res.statusCode) }, seconds);
    };
    res.once('finish', record);
    res.once('close', record);
    next();
  };
}
