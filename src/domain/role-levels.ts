/**
 * Role and place agree: each role is held only at the level(s) of jurisdiction where its work is
 * done. A village role given to a whole county would see, and could decide, every village's
 * steps; so every grant, every start of the API and every act at a level checks it here.
 */
import { contains, levelOf, type Level } from './jurisdiction';
import type { Actor, Role } from './roles';

export const ROLE_LEVELS: Record<Role, readonly Level[]> = {
  /** A household's head applies where the household lives. */
  applicant: ['village'],
  /** The village "two committees": appraisal, village publicity, loans received in the village. */
  village_official: ['village'],
  /** The township workstation: audit, exit verification, deferrals, the town's payout approvals. */
  town_official: ['town'],
  /** The county office: approval, announcement, write-offs, the county's payout approvals. */
  county_official: ['county'],
  /** A county supervision office, or a town's: sees what is stuck and reassigns it within its place. */
  supervisor: ['county', 'town'],
  /** The county audit bureau, or a town's audit post: reads denials and the books of its place; no village has one. */
  auditor: ['county', 'town'],
  /** A fund's special personnel, at the county bureau or a town's finance office that keeps the fund. */
  fund_manager: ['county', 'town'],
  cashier: ['county', 'town'],
  /** Runs the platform for a county (decodes its Temporal payloads); the place only records whose it is. */
  operator: ['county'],
  /** Creates users within a county or a town; a village has no administrator of its own. */
  administrator: ['county', 'town'],
  /** A cadre from a county department or a town government, paired with households ("532"). */
  helper: ['county', 'town'],
};

const LEVEL_NAME: Record<Level, string> = { county: '县', town: '乡镇', village: '村' };

/** True when the role may be held at this jurisdiction's level (a code of no level fits no role). */
export function placeFits(role: Role, jurisdiction: string): boolean {
  const level = levelOf(jurisdiction);
  return level !== undefined && ROLE_LEVELS[role].includes(level);
}

/** Why a role does not fit a place, Chinese first, for a 422 or a log line; undefined when it fits. */
export function misplacement(role: Role, jurisdiction: string): string | undefined {
  if (placeFits(role, jurisdiction)) return undefined;
  const levels = ROLE_LEVELS[role];
  const zh = levels.map((l) => LEVEL_NAME[l]).join('或');
  return `角色 ${role} 只能设在${zh}级行政区划 (the role ${role} is held only at a ${levels.join(' or ')} jurisdiction)`;
}

/**
 * Whether the actor may act on something at `code`: its role held at its own level, and `code`
 * within its jurisdiction. Containment alone would let a misplaced village official at the county
 * act on every village.
 */
export function actsWithin(actor: Pick<Actor, 'role' | 'jurisdiction'>, code: string): boolean {
  return placeFits(actor.role, actor.jurisdiction) && contains(actor.jurisdiction, code);
}
