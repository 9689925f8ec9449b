import type { z } from 'zod';
import { validationProblem } from './problem';

/** Parses one part of a request with its zod schema, or throws a 400 naming each bad field. */
export function validate<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'params' | 'header'): z.infer<S> {
  const r = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (!r.success) throw validationProblem(r.error, where);
  return r.data;
}
