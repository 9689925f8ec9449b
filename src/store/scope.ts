import { levelOf } from '../domain/jurisdiction';

/**
 * The column that holds a jurisdiction code of this length. Reads filter with equality on it
 * (not LIKE on the village code), so the per-level indexes serve every caller.
 */
export function scopeColumn(code: string): 'county' | 'town' | 'village' {
  const level = levelOf(code);
  if (!level) throw new Error(`not a jurisdiction code: ${code}`);
  return level;
}
