import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { History } from '@temporalio/common/lib/proto-utils';
import { historyFromJson, historyToJson } from './history-json';

/**
 * Recorded Temporal histories, one folder per workflow type:
 * test/histories/<workflowType>/<scenario>.json, in the JSON form the Temporal CLI and UI
 * export (so a history downloaded from a real cluster can be dropped in as well).
 */
export const HISTORIES_DIR = join(__dirname, '..', 'histories');

export interface RecordedHistory {
  workflowType: string;
  scenario: string;
  history: History;
}

export function startedWorkflowType(history: History): string | undefined {
  return history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? undefined;
}

export function loadHistories(dir = HISTORIES_DIR): RecordedHistory[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(join(dir, d.name))
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => ({
          workflowType: d.name,
          scenario: f.slice(0, -'.json'.length),
          history: historyFromJson(JSON.parse(readFileSync(join(dir, d.name, f), 'utf8'))),
        })),
    );
}

/**
 * Worker and client identities, and sticky task queue names, are `pid@hostname` of the
 * recording machine: replay never reads them, so they are replaced rather than committed.
 */
function scrubIdentities(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrubIdentities);
  if (value && typeof value === 'object') {
    const sticky = (value as { kind?: unknown }).kind === 'TASK_QUEUE_KIND_STICKY';
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        if (typeof v === 'string' && (k === 'identity' || (sticky && k === 'name'))) return [k, 'recorder'];
        return [k, scrubIdentities(v)];
      }),
    );
  }
  return value;
}

/** Writes a history under its workflow type; returns the file's path. */
export function saveHistory(history: History, scenario: string, dir = HISTORIES_DIR): string {
  const type = startedWorkflowType(history);
  if (!type) throw new Error(`history for ${scenario} does not start with WorkflowExecutionStarted`);
  mkdirSync(join(dir, type), { recursive: true });
  const file = join(dir, type, `${scenario}.json`);
  writeFileSync(file, `${JSON.stringify(scrubIdentities(historyToJson(history)), null, 2)}\n`);
  return file;
}
