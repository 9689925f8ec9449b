/**
 * Issue #13: a pairing's contact watcher (the `householdContact` workflow) is started by the API
 * right after the pairing is recorded. A process that dies between the two leaves a pairing with
 * no watcher; `watcher_started_at` says which pairings have one, so the worker's sweep
 * (src/worker/contact-watcher-sweep.ts) can start the missing ones. Pairings made before this
 * column had theirs started with them.
 */
export const sql = `
ALTER TABLE pairings ADD COLUMN watcher_started_at timestamptz;
UPDATE pairings SET watcher_started_at = paired_at;
CREATE INDEX pairings_watcher_missing_idx ON pairings (paired_at) WHERE status = 'active' AND watcher_started_at IS NULL;
`;
