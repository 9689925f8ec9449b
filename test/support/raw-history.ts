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

type Payload = { metadata: Record<string, string>; data: string };

/**
 * The SDK's own bookkeeping in marker events, which it writes without the codec: a patch
 * marker's `patch-data` (the patch id) and a local activity marker's `data` (sequence number,
 * attempt, activity id and type, times). A local activity's result (`result`) does go through it.
 */
const MARKER_BOOKKEEPING = new Set(['patch-data', 'data']);

/**
 * The payloads of a history that go through the codec: every object with `metadata` and `data`
 * (as the JSON export has them), except search attributes, which the server must read to index,
 * and the markers' bookkeeping (markerBookkeepingOf).
 */
export function payloadsOf(history: History): Payload[] {
  return walkPayloads(history).codec;
}

/** The markers' bookkeeping payloads (see MARKER_BOOKKEEPING), decoded from JSON. */
export function markerBookkeepingOf(history: History): { encoding: string; value: Record<string, unknown> }[] {
  return walkPayloads(history).bookkeeping.map((p) => ({
    encoding: Buffer.from(p.metadata.encoding, 'base64').toString(),
    value: JSON.parse(Buffer.from(p.data, 'base64').toString()) as Record<string, unknown>,
  }));
}

function walkPayloads(history: History): { codec: Payload[]; bookkeeping: Payload[] } {
  const codec: Payload[] = [];
  const bookkeeping: Payload[] = [];
  const walk = (v: unknown, into: Payload[]): void => {
    if (Array.isArray(v)) v.forEach((x) => walk(x, into));
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.metadata && typeof o.data === 'string') into.push(o as never);
      else
        Object.entries(o).forEach(([k, x]) => {
          if (k === 'searchAttributes') return;
          if (k === 'markerRecordedEventAttributes') return walkMarker(x as Record<string, unknown>);
          walk(x, into);
        });
    }
  };
  const walkMarker = (marker: Record<string, unknown>): void => {
    const { details, ...rest } = marker;
    walk(rest, codec);
    for (const [k, x] of Object.entries((details ?? {}) as Record<string, unknown>)) walk(x, MARKER_BOOKKEEPING.has(k) ? bookkeeping : codec);
  };
  walk(historyToJson(history), codec);
  return { codec, bookkeeping };
}
