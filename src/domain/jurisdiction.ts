/**
 * Jurisdiction codes follow the national administrative division scheme: a county has 6
 * digits, its towns 9 (county + 3), their villages 12 (town + 3). So containment is a prefix.
 */
export type Level = 'county' | 'town' | 'village';

export const CODE_LENGTH: Record<Level, number> = { county: 6, town: 9, village: 12 };

export function levelOf(code: string): Level | undefined {
  if (!/^\d+$/.test(code)) return undefined;
  return (Object.keys(CODE_LENGTH) as Level[]).find((l) => CODE_LENGTH[l] === code.length);
}

/** True when `inner` is `outer` or lies within it. */
export function contains(outer: string, inner: string): boolean {
  return levelOf(outer) !== undefined && levelOf(inner) !== undefined && inner.startsWith(outer);
}

export interface Location {
  county: string;
  town: string;
  village: string;
}

export function locationOf(villageCode: string): Location {
  if (levelOf(villageCode) !== 'village') throw new Error(`not a village code: ${villageCode}`);
  return { county: villageCode.slice(0, 6), town: villageCode.slice(0, 9), village: villageCode };
}
