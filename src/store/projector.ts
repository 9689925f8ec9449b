import type { PoolClient } from 'pg';
import type { Projector, StoredEvent } from './types';

/**
 * A projector of the streams of these types: the store runs it only for them (and an append
 * that no projector reads needs no transaction of its own), and it ignores any other stream it
 * is handed directly.
 */
export function projectorOf(streamTypes: readonly string[], project: (tx: PoolClient, events: StoredEvent[], streamType: string) => Promise<void>): Projector {
  const types = new Set(streamTypes);
  const projector = async (tx: PoolClient, streamType: string, events: StoredEvent[]) => {
    if (types.has(streamType)) await project(tx, events, streamType);
  };
  return Object.assign(projector, { streamTypes: [...types] });
}

/** Whether `projector` reads streams of this type. */
export function projects(projector: Projector, streamType: string): boolean {
  return projector.streamTypes === undefined || projector.streamTypes.includes(streamType);
}
