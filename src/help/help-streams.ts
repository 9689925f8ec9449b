/**
 * Every append to a helper's, a pairing's or a help plan's stream, through the one command
 * handler: the projections (store/help/help-projection.ts) run in the same transaction. Each
 * event's idempotency key comes from the command's own id (the pairing, the visit, the plan
 * step), so a retried request or activity finds what the first attempt stored.
 */
import { helperDecider, type HelperCommand } from '../domain/help/helpers';
import { helpPlanDecider, type HelpPlanCommand } from '../domain/help/help-plan';
import { pairingDecider, type PairingCommand } from '../domain/help/pairing';
import { reviewDecider, type ReviewCommand } from '../domain/help/review';
import { assertNever } from '../domain/errors';
import { STREAM_ID } from '../domain/streams';
import type { EventStore } from '../store/event-store';
import { handle } from '../store/handle';

export function recordHelper(store: EventStore, command: HelperCommand, actor: string) {
  return handle(store, STREAM_ID.helper(command.profile.userId), helperDecider, command, {
    actor,
    idempotencyKey: (e, version) => `helper:${command.profile.userId}:${version}:${e.type}`,
  });
}

function pairingKey(c: PairingCommand): string {
  switch (c.type) {
    case 'Pair':
      return `pairing:${c.pairingId}`;
    case 'End':
      return `pairing:${c.pairingId}:end`;
    case 'RecordVisit':
      return `visit:${c.visitId}`;
    case 'LoseContact':
      return `pairing:${c.pairingId}:lost`;
    default:
      return assertNever(c);
  }
}

export function recordPairing(store: EventStore, householdId: string, command: PairingCommand, actor: string) {
  const key = pairingKey(command);
  return handle(store, STREAM_ID.pairing(householdId), pairingDecider, command, {
    actor,
    // A pairing can lose contact many times: its "lost" keys are told apart by the version.
    idempotencyKey: (e, version) => (command.type === 'LoseContact' ? `${key}:${version}` : `${key}:${e.type}`),
  });
}

/** `step` names the plan step (the workflow's update id), so a retried step finds its events. */
export function recordHelpPlan(store: EventStore, householdId: string, command: HelpPlanCommand, step: string, actor: string) {
  return handle(store, STREAM_ID.helpPlan(householdId), helpPlanDecider, command, {
    actor,
    idempotencyKey: (e) => `plan:${householdId}:${step}:${e.type}`,
  });
}

export function recordReview(store: EventStore, reviewId: string, command: ReviewCommand, step: string, actor: string) {
  return handle(store, STREAM_ID.review(reviewId), reviewDecider, command, {
    actor,
    idempotencyKey: (e) => `${reviewId}:${step}:${e.type}`,
  });
}
