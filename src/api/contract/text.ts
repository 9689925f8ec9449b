import { z } from 'zod';

/**
 * Free text, validated once for every field a person types (issue #8). Text travels into
 * events (jsonb), workflow histories, projections and CSV exports; Postgres refuses U+0000 and
 * jsonb refuses an unpaired surrogate, so one such character accepted here used to wedge a case
 * with an activity retrying forever. The rule:
 * - well-formed Unicode: no unpaired surrogate (only a JSON `\uD800` escape can carry one);
 * - no control characters: C0 (U+0000–U+001F), DEL, C1 (U+0080–U+009F), nor U+2028/U+2029
 *   (line and paragraph separators: invisible, and they split lines in logs, CSV and JS);
 *   multi-line texts may hold line feeds (\n) and tabs, single-line ones (names, references)
 *   neither; a carriage return is refused too: send line breaks as \n;
 * - normalised to NFC and trimmed, then measured in characters (code points) against its limit;
 * - a required text must not be blank.
 * What is stored is exactly the input, NFC-normalised and trimmed.
 */

const SINGLE_LINE_FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const MULTI_LINE_FORBIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const codePoint = (s: string, at: number) => `U+${s.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0')}`;

/** Why a text cannot be stored, or undefined if it can; the message names the character by code point, never echoes the text. */
export function textFault(s: string, multiline: boolean): string | undefined {
  const surrogate = LONE_SURROGATE.exec(s);
  if (surrogate) return `not well-formed Unicode: an unpaired surrogate (${codePoint(s, surrogate.index)}) at position ${surrogate.index + 1}`;
  const control = (multiline ? MULTI_LINE_FORBIDDEN : SINGLE_LINE_FORBIDDEN).exec(s);
  if (control) {
    const allowed = multiline ? 'only line feeds (\\n) and tabs are allowed' : 'this field is a single line of text';
    return `a control character (${codePoint(s, control.index)}) at position ${control.index + 1}: ${allowed}`;
  }
  return undefined;
}

/** Characters as people count them (code points), not UTF-16 units. */
function length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--; // well-formed by now: a high surrogate starts a pair
  }
  return n;
}

export interface TextOptions {
  /** May hold line feeds and tabs (reasons, grounds, findings); else one line (names, references). */
  multiline?: boolean;
  /** Optional texts may be empty (the decider says when one is needed); required ones must not be blank. */
  optional?: boolean;
  /** What the field holds (OpenAPI); the rule is added to it. */
  description?: string;
}

/** A text field of at most `max` characters; see the rule above. */
export function text(max: number, { multiline = false, optional = false, description }: TextOptions = {}) {
  const rule = multiline
    ? `at most ${max} characters; line feeds and tabs allowed, no other control characters; stored NFC-normalised and trimmed`
    : `one line of at most ${max} characters, no control characters; stored NFC-normalised and trimmed`;
  let schema = z
    .string()
    .superRefine((s, ctx) => {
      const fault = textFault(s, multiline);
      if (fault) ctx.addIssue({ code: 'custom', message: fault, abort: true });
    })
    .normalize('NFC')
    .trim();
  if (!optional) schema = schema.min(1, 'must not be blank');
  return schema
    .refine((s) => length(s) <= max, `at most ${max} characters`)
    .meta({ maxLength: max, ...(optional ? {} : { minLength: 1 }), description: description ? `${description} (${rule})` : rule });
}

/** A name, reference or id: one line, at most `max` characters, not blank. */
export const line = (max: number, description?: string) => text(max, { description });
/** A reason, ground or finding: line feeds and tabs allowed. */
export const prose = (max: number, opts: { optional?: boolean; description?: string } = {}) => text(max, { multiline: true, ...opts });
