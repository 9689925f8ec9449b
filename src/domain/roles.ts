/** Every user has exactly one role and one jurisdiction (shared/API.md). */
export const ROLES = [
  'applicant',
  'village_official',
  'town_official',
  'county_official',
  'supervisor',
  'auditor',
  'fund_manager',
  'cashier',
  /**
   * Runs the platform (Temporal, the worker): may decode encrypted Temporal payloads through
   * /codec, and nothing else. Not an official: reads no case, decides nothing.
   */
  'operator',
  /**
   * A county (or town) administrator (issue #12): creates users, resets passwords, deactivates
   * users and edits the jurisdiction tree, all within its own jurisdiction. Not an official:
   * reads no case, decides nothing.
   */
  'administrator',
  /**
   * A cadre paired with households (issue #13, "532" pairing): visits them and records the
   * visits, drafts their help plans; reads only the households paired with it. Not an
   * official: reads no case, decides nothing.
   */
  'helper',
] as const;
export type Role = (typeof ROLES)[number];

export const OFFICIAL_ROLES: readonly Role[] = ['village_official', 'town_official', 'county_official', 'supervisor', 'auditor', 'fund_manager', 'cashier'];

/** Who acts: resolved from the bearer token by the API, passed into every command. */
export interface Actor {
  userId: string;
  role: Role;
  jurisdiction: string;
  /** Keyed hash of the user's own ID number, to detect deciding on one's own household. */
  idHash?: string;
}
