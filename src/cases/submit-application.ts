import type { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { idFromKey } from '../crypto/ids';
import { startOrJoin, untilRecorded } from '../temporal/start-or-join';
import type { Keyring } from '../crypto/keyring';
import { decide } from '../domain/case';
import { headOf, type HouseholdInput, type Member } from '../domain/household';
import { locationOf } from '../domain/jurisdiction';
import type { Actor } from '../domain/roles';
import { householdHash, intakeHousehold, newHouseholdId } from '../store/household-intake';
import { claimHouseholdId, householdStanding } from '../store/household-keys';
import { claimMembers, type MemberConflict } from '../store/household-members';
import { policyFor } from '../store/jurisdiction-settings';
import { identificationCase, submittedUpdate, type SubmitInput } from '../workflows/identification-case';

/**
 * Starting a household's application: the one path for a single application (API, POST
 * /applications) and for each row of a bulk upload (the intake activities, in the worker).
 * It lives outside both so that neither imports the other.
 */

/** What building a case's first command needs from the configuration (the API's and the worker's). */
export interface ApplicationSettings {
  idHashKey: string;
  payloadKeys: Keyring;
  /** The default policy, where no jurisdiction setting applies. */
  publicityPeriod: string;
  stageTimeLimit: string;
  escalateAfter?: string;
}

/** Where a case's workflow runs, and whether it publishes search attributes (not on the time-skipping test server). */
export interface CaseStartSettings {
  taskQueue: string;
  searchAttributes: boolean;
}

/** The case id: from the caller's key when there is one, so that a retry finds the same case. */
export const caseIdFor = (userId: string, idempotencyKey?: string): string => `case-${idempotencyKey ? idFromKey(userId, idempotencyKey) : randomUUID()}`;

/**
 * The command that starts the case, or why the household cannot apply now (the API answers
 * 409): `errors` name the members already in another household, by their path in the household.
 */
export type PreparedApplication = { submit: SubmitInput } | { refused: string; slug: string; errors?: { path: string; message: string }[] };

/**
 * Builds the case's first command: the household as kept (hashed, sealed), its registered id,
 * and the policy of the place. The decider refuses (DomainError) before anything is written.
 */
export async function prepareApplication(
  pool: Pool,
  settings: ApplicationSettings,
  actor: Actor,
  application: { village: string; household: HouseholdInput },
  caseId: string,
): Promise<PreparedApplication> {
  const household = intakeHousehold(application.household, settings.idHashKey, settings.payloadKeys);
  const submit: SubmitInput = {
    type: 'Submit',
    caseId,
    householdId: newHouseholdId(),
    applicantId: actor.role === 'applicant' ? actor.userId : `on-behalf:${actor.userId}`,
    location: locationOf(application.village),
    household,
    householdHash: householdHash(household),
    policy: await policyFor(pool, application.village, settings),
    actor,
  };
  decide({ ...submit, at: new Date().toISOString() }, undefined); // refuses before anything starts
  // A household seen before (same head) keeps its id; a new one registers the random id above.
  const householdId = await claimHouseholdId(pool, headOf(household).idHash, submit.householdId);
  submit.householdId = householdId;
  const registered = await householdStanding(pool, householdId);
  if (registered && registered.currentCaseId !== caseId) {
    // Re-entry: a rejected or exited household may apply again; its cases are linked.
    if (registered.status !== 'rejected' && registered.status !== 'exited')
      return { refused: `this household is already ${registered.status}`, slug: 'household-has-case' };
    submit.previousCaseId = registered.currentCaseId;
  }
  // Last, once nothing else refuses: the members are claimed for this application until it ends.
  const conflicts = await claimMembers(
    pool,
    { householdId, caseId },
    household.members.map((m) => m.idHash),
  );
  if (conflicts.length) return memberConflicts(conflicts, household.members);
  return { submit };
}

/** One person, one household: the 409 naming each member held elsewhere, and where (masked). */
function memberConflicts(conflicts: MemberConflict[], members: Member[]): PreparedApplication {
  const errors = conflicts.map((c) => ({ path: `members.${c.index}.idNumber`, message: heldElsewhere(c, members[c.index]) }));
  return {
    refused: `家庭成员已在另一户中登记，一人只能属于一户 (a member already belongs to another household; one person, one household): ${errors.map((e) => e.message).join('; ')}`,
    slug: 'member-in-another-household',
    errors,
  };
}

function heldElsewhere(c: MemberConflict, member: Member): string {
  const who = `第 ${c.index + 1} 位成员（${member.idMasked}）`;
  const whoEn = `member ${c.index + 1} (${member.idMasked})`;
  if (!c.village) return `${who}已在另一份正在受理的申请中 (${whoEn} is in another application being started)`;
  const place = c.village.name ? `${c.village.name}（${c.village.code}）` : c.village.code;
  const head = c.head ? `户主 ${c.head.name}（${c.head.idMasked}）` : '';
  return `${who}已是${place}${head}家庭的成员 (${whoEn} belongs to the household${c.head ? ` of ${c.head.name} (${c.head.idMasked})` : ''} in village ${place})`;
}

/** Starts the case's workflow (or joins it: the id is the request's) and waits until its first step is recorded. */
export async function startCase(client: Client, settings: CaseStartSettings, submit: SubmitInput): Promise<void> {
  const handle = await startOrJoin(client, identificationCase, {
    taskQueue: settings.taskQueue,
    workflowId: submit.caseId,
    args: [{ submit, searchAttributes: settings.searchAttributes }],
  });
  await untilRecorded(handle, submittedUpdate);
}
