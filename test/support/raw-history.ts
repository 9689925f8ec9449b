import { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { ApiHarness } from './api-harness';
import { historyToJson } from './history-json';

type History = temporal.api.history.v1.IHistory;

/** A client WITHOUT the engine's codec: it sees what the Temporal server stores, and its UI shows. */
export function rawClient(api: ApiHarness): Client {
  return new Client({ connection: api.env.connection, namespace: 'default' });
}

/**
 * Every form in which a history's bytes can be read: the protobuf wire bytes (payload data
 * appears there as it is stored), the JSON export (payload data in base64), and each base64
 * `data` field of that export decoded.
 */
export function historyForms(history: History): Buffer[] {
  const json = historyToJson(history);
  const decoded: Buffer[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'data' && typeof x === 'string') decoded.push(Buffer.from(x, 'base64'));
        walk(x);
      }
    }
  };
  walk(json);
  return [Buffer.from(temporal.api.history.v1.History.encode(history).finish()), Buffer.from(JSON.stringify(json)), ...decoded];
}

/** The needles found anywhere in the history. */
export function personalDataIn(history: History, needles: string[]): string[] {
  const forms = historyForms(history);
  return needles.filter((n) => forms.some((f) => f.includes(n)));
}

/**
 * The payloads of a history that go through the codec: every object with `metadata` and `data`
 * (as the JSON export has them), except search attributes, which the server must read to index.
 */
export function payloadsOf(history: History): { metadata: Record<string, string>; data: string }[] {
  const found: { metadata: Record<string, string>; data: string }[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.metadata && typeof o.data === 'string') found.push(o as never);
      else Object.entries(o).forEach(([k, x]) => k !== 'searchAttributes' && walk(x));
    }
  };
  walk(historyToJson(history));
  return found;
}
