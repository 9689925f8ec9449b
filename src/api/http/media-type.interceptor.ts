import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import type { AuthedRequest } from '../auth/user';
import { routes, type RouteSpec } from '../contract/routes';
import { bodyMediaTypes } from '../openapi/failures';
import { problem } from './problem';

type Req = AuthedRequest & { method: string; route?: { path?: string }; headers: Record<string, string | string[] | undefined> };

/** Route specs by express route ('POST /cases/:caseId/decisions'), as Nest registers them. */
const byRoute = new Map<string, RouteSpec>(
  (Object.values(routes) as RouteSpec[]).map((s) => [`${s.method.toUpperCase()} ${s.path.replace(/\{(\w+)\}/g, ':$1')}`, s]),
);

export const mediaType = (contentType?: string): string => (contentType ?? '').split(';')[0].trim().toLowerCase();

/**
 * A body in a media type the route does not take is 415 (RFC 9110), not a 400 for an empty
 * body: the route spec lists the types (application/json and its `otherBodies`). Runs after
 * authentication; a caller whose role the route refuses gets that 403 first.
 */
@Injectable()
export class MediaTypeInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<Req>();
    const spec = byRoute.get(`${req.method} ${req.route?.path ?? ''}`);
    if (!spec?.body || !hasBody(req)) return next.handle();
    if (Array.isArray(spec.access) && req.user && !spec.access.includes(req.user.role)) return next.handle();
    const accepted = bodyMediaTypes(spec);
    const type = mediaType(header(req, 'content-type'));
    if (!accepted.includes(type)) {
      throw problem(415, 'unsupported-media-type', `send the body as ${accepted.join(' or ')}${type ? `, not ${type}` : ' (no Content-Type was given)'}`);
    }
    return next.handle();
  }
}

const header = (req: Req, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** RFC 9112: a request has a body when it says its length (non-zero) or is chunked. */
const hasBody = (req: Req): boolean => header(req, 'transfer-encoding') !== undefined || Number(header(req, 'content-length') ?? 0) > 0;
