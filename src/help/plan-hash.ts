import { createHash } from 'node:crypto';
import type { PlanContent } from '../domain/help/help-plan';
import { canonicalJson } from '../store/canonical-json';

/** What a signature pins: SHA-256 of the plan's canonical JSON (the same text whatever the key order sent). */
export const planHashOf = (content: PlanContent): string => createHash('sha256').update(canonicalJson(content)).digest('hex');
