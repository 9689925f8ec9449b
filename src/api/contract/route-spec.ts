import { z } from 'zod';
import type { Role } from '../../domain/roles';

/**
 * The Idempotency-Key header, as the server checks it (http/idempotency.interceptor.ts) and as
 * the OpenAPI document declares it: 1 to 200 visible ASCII characters.
 */
export const IdempotencyKeyHeader = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]{1,200}$/, '1 to 200 visible ASCII characters');

/**
 * Every endpoint, once: who may call it, what it takes and returns. Controllers validate
 * and authorise against these; the OpenAPI document is generated from them.
 */
export interface RouteSpec {
  method: 'get' | 'post' | 'patch';
  path: string;
  summary: string;
  description?: string;
  tag: string;
  /** 'public': no token; 'authenticated': any user; else the roles allowed. */
  access: 'public' | 'authenticated' | readonly Role[];
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** A valid body, shown in /docs so "try it out" works as-is. */
  example?: unknown;
  /** Media types the body may also come in, beside application/json (the handler tells them apart by Content-Type; any other type is 415). */
  otherBodies?: Record<string, { schema: z.ZodType; example?: unknown }>;
  /**
   * What the request creates takes its id from the Idempotency-Key, so a retry can never create
   * a second one. (Every authenticated POST accepts the header and replays its first answer.)
   */
  idempotent?: boolean;
  /** The success answer: `schema` as application/json; `otherTypes` are further media types of the same answer (e.g. text/csv). */
  success: { status: number; description: string; schema?: z.ZodType; otherTypes?: Record<string, z.ZodType> };
  /**
   * Statuses particular to this route (404, 409, 422 of its rules, 403 of a jurisdiction check).
   * Those that follow from its shape (400 for parameters and bodies, 401, 403 for a role list,
   * 409/422 of the Idempotency-Key, 413, 415, 431, 500, 503) are added by the OpenAPI builder
   * (openapi/failures.ts), so they cannot be forgotten.
   */
  errors: number[];
  /** Error statuses (of `errors`) that may answer with a JSON body of their own, beside problem+json: what it means and its schema. */
  errorBodies?: Partial<Record<number, { description: string; schema: z.ZodType }>>;
}
