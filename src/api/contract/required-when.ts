import type { z } from 'zod';

/**
 * `field` must hold some text (not blank) when `key` is one of `values`: a rejection needs a
 * reason. One rule, two readers: zod refuses the body (400 naming `body.<field>`), and the
 * JSON Schema says it as if/then, so the OpenAPI document cannot be looser than the server.
 */
export function textRequiredWhen<T extends z.ZodObject>(schema: T, when: { key: string; values: readonly string[] }, field: string, message: string): T {
  return schema
    .superRefine((body, ctx) => {
      const b = body as Record<string, unknown>;
      if (!when.values.includes(b[when.key] as string)) return;
      const text = b[field];
      if (typeof text !== 'string' || !text.trim()) ctx.addIssue({ code: 'custom', path: [field], message });
    })
    .meta({
      if: { properties: { [when.key]: { enum: [...when.values] } }, required: [when.key] },
      then: { required: [field], properties: { [field]: { type: 'string', pattern: '\\S' } } },
    }) as T;
}
