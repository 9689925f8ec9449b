/**
 * The audit logs: one hash-chained stream per kind and UTC day (`STREAM_ID.accessDenials`,
 * `STREAM_ID.codecDecodes`). Append-only records of what someone did or was refused; nothing
 * recorded there changes what may be recorded next, so the state is empty.
 */
import type { StreamDecider } from '../decider';
import { assertNever } from '../errors';
import { STREAM_TYPE } from '../streams';

/** What the API records for each refused request (src/api/http/problem.filter.ts). */
export interface AccessDeniedData {
  userId: string;
  role: string;
  jurisdiction: string;
  method: string;
  path: string;
  reason: string;
}

/** Who decoded Temporal payloads through /codec, and how many; never what they held. */
export interface PayloadsDecodedData {
  userId: string;
  role: string;
  payloads: number;
  namespace: string | null;
}

export type AuditEvent = { type: 'AccessDenied'; data: AccessDeniedData } | { type: 'PayloadsDecoded'; data: PayloadsDecodedData };

export type AuditCommand = { type: 'RecordDenial'; denial: AccessDeniedData } | { type: 'RecordDecode'; decode: PayloadsDecodedData };

export function decideAudit(c: AuditCommand): AuditEvent[] {
  switch (c.type) {
    case 'RecordDenial':
      return [{ type: 'AccessDenied', data: { ...c.denial } }];
    case 'RecordDecode':
      return [{ type: 'PayloadsDecoded', data: { ...c.decode } }];
    default:
      return assertNever(c);
  }
}

export const auditDecider: StreamDecider<null, AuditCommand, AuditEvent> = {
  streamType: STREAM_TYPE.audit,
  decide: decideAudit,
  evolve: (state) => state,
  initialState: () => null,
};
