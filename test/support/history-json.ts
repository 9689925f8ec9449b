import { dirname } from 'node:path';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';

/**
 * History ⇄ the JSON the Temporal CLI and UI export: what `historyToJSON` / `historyFromJSON`
 * of @temporalio/common do, done here because those two throw "type must be a Type" with our
 * locked install. npm hoists protobufjs 7 (for @grpc/proto-loader), so @temporalio/common and
 * @temporalio/proto each get their own copy of protobufjs 8, and common's `instanceof Type`
 * check refuses the History type reflected by proto's copy. Using protojson from the very
 * copy @temporalio/proto loads works whatever the layout. Drop this once the SDK's work here.
 */
type History = proto.temporal.api.history.v1.IHistory;
interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options: { ignoreUnknownFields: boolean }): History | null;
}
// A plain require (not createRequire) so that under jest it shares jest's module registry with the import above.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const protojson = require(require.resolve('protobufjs/ext/protojson', { paths: [dirname(require.resolve('@temporalio/proto'))] })) as ProtoJson;
const historyType = (patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown }).lookupType('temporal.api.history.v1.History');

export function historyToJson(history: History): unknown {
  return protojson.toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history));
}

/** Our files are written by historyToJson (canonical enum names), so no fix-ups for old tctl exports. */
export function historyFromJson(json: unknown): History {
  // Tolerate fields we don't know, e.g. from a newer server (as the SDK does).
  const history = protojson.fromJson(historyType, json, { ignoreUnknownFields: true });
  if (!history?.events?.length) throw new TypeError('not a Temporal history: expected {"events": [...]}');
  return history;
}
