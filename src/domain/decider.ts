/**
 * The shape of every stream's rules, as in emmett's `Decider`: `decide` turns a command and
 * the current state into the events to append (or a DomainError), `evolve` folds one event
 * into the state, `initialState` is the state of a stream with no events. All pure.
 * `src/store/handle.ts` is the one place that reads a stream, folds it, decides and appends.
 */
import type { StreamType } from './streams';

/** An event as a decider sees it: a type and its data, exactly as stored. */
export interface DomainEvent {
  type: string;
  data: object;
}

/** Where a stored event sits, for the few states that keep when something was recorded. */
export interface Recorded {
  version: number;
  recordedAt: string;
}

export interface Decider<State, Command, Event extends DomainEvent> {
  decide(command: Command, state: State): Event[];
  /** `recorded` is given when folding stored events; events just decided have none yet. */
  evolve(state: State, event: Event, recorded?: Recorded): State;
  initialState(): State;
}

/** A decider and the stream type (as stored in `streams.stream_type`) whose rules it is. */
export interface StreamDecider<State, Command, Event extends DomainEvent> extends Decider<State, Command, Event> {
  streamType: StreamType;
}
