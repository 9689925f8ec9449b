import type { AnchorLog } from './anchor-log';

/** Where the store contradicts a checkpoint. */
export interface AnchorFinding {
  streamId: string;
  version: number;
  problem: string;
}

/**
 * Checks the store, as the verifier walks it stream by stream, against every anchored head:
 * each anchored (stream, version) must still hold an event with the anchored hash. A history
 * rewritten with recomputed hashes passes the chain check but not this one; so does a stream
 * cut back, or removed with its head.
 */
export class AnchorCheck {
  private readonly seen = new Set<string>();

  constructor(
    private readonly log: AnchorLog,
    private readonly streamId?: string,
  ) {}

  /** Called for every event in order; the event's own chain has already been checked. */
  event(streamId: string, version: number, hash: string): AnchorFinding | undefined {
    const anchored = this.log.points.get(streamId)?.get(version);
    if (anchored && anchored.hash !== hash) {
      return { streamId, version, problem: `the event differs from the one anchored in checkpoint #${anchored.seq} (history rewritten and re-hashed)` };
    }
    return undefined;
  }

  /** Called once a stream's last event has been read. */
  streamEnd(streamId: string, lastVersion: number): AnchorFinding | undefined {
    this.seen.add(streamId);
    const head = this.log.heads.get(streamId);
    if (head && head.version > lastVersion) {
      const seq = this.log.points.get(streamId)?.get(head.version)?.seq;
      return {
        streamId,
        version: lastVersion + 1,
        problem: `checkpoint #${seq} anchored this stream at version ${head.version}; the store ends at ${lastVersion} (events removed)`,
      };
    }
    return undefined;
  }

  /** After the walk: anchored streams the store no longer has at all. */
  missing(): AnchorFinding | undefined {
    for (const [streamId, head] of this.log.heads) {
      if (this.streamId !== undefined && streamId !== this.streamId) continue;
      if (!this.seen.has(streamId)) {
        const seq = this.log.points.get(streamId)?.get(head.version)?.seq;
        return { streamId, version: 1, problem: `checkpoint #${seq} anchored this stream at version ${head.version}; the store has no events of it (removed)` };
      }
    }
    return undefined;
  }

  /** A whole-store walk must find at least as many events as the latest checkpoint counted. */
  total(events: number): AnchorFinding | undefined {
    const latest = this.log.latest;
    if (this.streamId !== undefined || !latest || events >= latest.events) return undefined;
    return {
      streamId: '',
      version: 0,
      problem: `the store holds ${events} events, fewer than the ${latest.events} checkpoint #${latest.seq} counted (events removed)`,
    };
  }

  summary(): { checkpoints: number; latest: { seq: number; at: string; streams: number; events: number } | null } {
    const l = this.log.latest;
    return { checkpoints: this.log.checkpoints, latest: l ? { seq: l.seq, at: l.at, streams: l.streams, events: l.events } : null };
  }
}
