/**
 * Never "lose contact" (DOMAIN.md): one watcher per pairing. A durable timer runs from the last
 * contact (the pairing, then each visit); when the window passes with no visit, the household
 * is recorded as having lost contact, which opens a follow-up task for its town, and the
 * watcher waits for the next visit (recorded by the API, which signals here). Continues as new
 * when its history grows long: a pairing lasts years.
 */
import { condition, continueAsNew, defineSignal, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { HelpActivities } from '../activities/help-activities';
import { durationMs } from '../domain/time';

export interface HouseholdContactInput {
  pairingId: string;
  householdId: string;
  /** ISO 8601 duration: the longest a household may go without a visit. */
  window: string;
  /** The pairing's time, or its last visit's. */
  lastContactAt: string;
  /** Whether the contact is already recorded as lost (carried over a continue-as-new). */
  lost?: boolean;
}

export const visitedSignal = defineSignal<[{ visitedAt: string }]>('visited');
export const pairingEndedSignal = defineSignal('pairingEnded');

const { loseContact } = proxyActivities<HelpActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** Signals taken before the watcher continues as new (each is a few history events). */
const SIGNALS_PER_RUN = 500;

export async function householdContact(input: HouseholdContactInput): Promise<void> {
  let last = input.lastContactAt;
  let lost = input.lost ?? false;
  let ended = false;
  let signals = 0;
  setHandler(visitedSignal, ({ visitedAt }) => {
    signals++;
    if (Date.parse(visitedAt) > Date.parse(last)) last = visitedAt;
    lost = false; // the API recorded the visit (and the contact restored) before signalling
  });
  setHandler(pairingEndedSignal, () => {
    ended = true;
  });
  const windowMs = durationMs(input.window);

  while (!ended) {
    const seen = last;
    const seenSignals = signals;
    if (lost) {
      await condition(() => ended || signals !== seenSignals);
    } else {
      const left = Math.max(0, Date.parse(last) + windowMs - Date.now());
      const woken = await condition(() => ended || last !== seen, left);
      if (!woken) {
        const at = new Date().toISOString();
        const recorded = await loseContact({ pairingId: input.pairingId, householdId: input.householdId, window: input.window, windowMs, at });
        // Not recorded: a visit landed meanwhile (its signal is on its way) or the pairing ended.
        lost = recorded || lost;
        if (!recorded && last === seen) await condition(() => ended || signals !== seenSignals);
      }
    }
    if (!ended && (signals >= SIGNALS_PER_RUN || workflowInfo().continueAsNewSuggested)) {
      await continueAsNew<typeof householdContact>({ ...input, lastContactAt: last, lost });
    }
  }
}
