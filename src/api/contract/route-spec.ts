import type { z } from 'zod';
import type { Role } from '../../domain/roles';

/**
 * Every endpoint, once: who may call it, what it takes and returns. Controllers validate
 * and authorise against these; the OpenAPI document is generated from them.
 */
export interface RouteSpec {
  method: 'get' | 'post';
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
  /** Media types the body may also come in, beside application/json (documented; the handler tells them apart by Content-Type). */
  otherBodies?: Record<string, { schema: z.ZodType; example?: unknown }>;
  /** Accepts an Idempotency-Key header. */
  idempotent?: boolean;
  success: { status: number; description: string; schema?: z.ZodType };
  errors: number[];
}

