import { Worker, type ReplayResult, type ReplayWorkerOptions } from '@temporalio/worker';
import { engineDataConverter } from '../../src/temporal/data-converter';
import * as workflows from '../../src/workflows';
import { loadHistories, startedWorkflowType } from '../support/histories';
import { testPayloadKeys } from '../support/temporal';

/**
 * Replay safety (issue #7): every recorded history (test/histories, re-record with
 * `npm run record-histories`) must replay on the current workflow code. A change that would
 * make a running workflow issue different commands than its history (non-determinism) fails
 * here instead of in production. Needs no server: replay runs on the worker alone.
 */
const histories = loadHistories();
const workflowTypes = Object.entries(workflows)
  .filter(([, v]) => typeof v === 'function')
  .map(([name]) => name)
  .sort();
const key = (h: { workflowType: string; scenario: string }) => `${h.workflowType}/${h.scenario}`;

// CI may replay against the very bundle it deploys. With the engine's data converter, as a
// worker runs: histories recorded before payload encryption pass through its codec unchanged,
// and encrypted ones (recorded with the development key) are decrypted.
const options: ReplayWorkerOptions = {
  ...(process.env.WORKFLOW_BUNDLE ? { workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE } } : { workflowsPath: require.resolve('../../src/workflows') }),
  dataConverter: engineDataConverter(testPayloadKeys()),
};

describe('replay of recorded workflow histories', () => {
  const results = new Map<string, ReplayResult>();

  beforeAll(async () => {
    // One replay worker (and one workflow bundle) for every history; the id names the file.
    const inputs = histories.map((h) => ({ workflowId: key(h), history: h.history }));
    for await (const result of Worker.runReplayHistories(options, inputs)) results.set(result.workflowId, result);
  }, 180_000);

  it('has at least one history for every workflow type the worker runs', () => {
    const recorded = new Set(histories.map((h) => h.workflowType));
    expect(workflowTypes.filter((t) => !recorded.has(t))).toEqual([]);
    expect(workflowTypes.length).toBeGreaterThan(0);
  });

  const rows = histories.map((h) => [key(h), h] as const);
  // jest refuses an empty table; with nothing recorded, the test above fails instead.
  if (rows.length > 0) {
    it.each(rows)('replays %s without a non-determinism error', (name, h) => {
      // The folder must name the type the history really started, or the coverage check above means nothing.
      expect(startedWorkflowType(h.history)).toBe(h.workflowType);
      const result = results.get(name);
      expect(result).toBeDefined();
      expect(result?.error && `${result.error.name}: ${result.error.message}`).toBeUndefined();
    });
  }
});
