/**
 * Why a command was refused. The code decides the HTTP status at the edge; the message is
 * written for the person who sent the command and names no internals.
 */
export type DomainErrorCode =
  | 'forbidden' // role, jurisdiction or separation of duties (403)
  | 'wrong_stage' // the case is not at the stage the command is for (409)
  | 'not_in_publicity' // objections only while a publicity period runs (409)
  | 'stale_household' // the decider saw an older household record (409)
  | 'case_closed' // the case has ended (409)
  | 'not_found' // e.g. an unknown objection (404)
  | 'conflict' // the subject is not in a state that allows it, e.g. a household already paired (409)
  | 'stale_plan' // a signature pinned an older version of a help plan (409)
  | 'invalid'; // the command contradicts itself or the rules (422)

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function assertNever(x: never): never {
  throw new Error(`unhandled variant: ${JSON.stringify(x)}`);
}
