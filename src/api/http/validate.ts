import type { z } from 'zod';
import { integerLiteralIssues } from './integer-literals';
import { validationProblem, type FieldIssue } from './problem';

type Where = 'body' | 'query' | 'params' | 'header';

export const QUERY_REPEATED = '参数只能给一次 (a parameter is given once, as name=value)';
export const QUERY_BRACKETS = '参数不接受数组或对象形式 (name[]= and name[key]= are not parameters of this API; give name=value once)';
export const QUERY_CONTROL = '参数含控制字符 (a control character such as NUL: parameters are codes, ids, days and cursors)';
// No parameter of the API is free text: a control character is a mistake (or an attack on the store, which refuses NUL).
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * A query parameter is one name=value of visible characters: Express hands a repeated one over as an array and a
 * bracketed one (`stage[]`, `village[a]`) under a name no schema knows, which validation would
 * then ignore, answering unfiltered. Both are named as the parameter they were meant to be.
 */
function queryShapeIssues(query: unknown): FieldIssue[] {
  if (typeof query !== 'object' || query === null) return [];
  const issues: FieldIssue[] = [];
  for (const [key, value] of Object.entries(query)) {
    const bracket = key.indexOf('[');
    if (bracket >= 0) issues.push({ path: [key.slice(0, bracket) || key], message: QUERY_BRACKETS });
    else if (Array.isArray(value)) issues.push({ path: [key], message: QUERY_REPEATED });
    else if (typeof value === 'string' && CONTROL.test(value)) issues.push({ path: [key], message: QUERY_CONTROL });
  }
  return issues;
}

/** Parses one part of a request with its zod schema, or throws a 400 naming each bad field. */
export function validate<S extends z.ZodType>(schema: S, value: unknown, where: Where): z.infer<S> {
  const input = value ?? (where === 'body' ? undefined : {});
  const shape = where === 'query' ? queryShapeIssues(input) : [];
  if (shape.length) throw validationProblem(shape, where);
  const r = schema.safeParse(input);
  const literals = where === 'body' ? integerLiteralIssues(schema, input) : [];
  if (!r.success || literals.length) throw validationProblem([...(r.success ? [] : r.error.issues), ...literals], where);
  return r.data;
}
