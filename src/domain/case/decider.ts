import type { StreamDecider } from '../decider';
import { STREAM_TYPE } from '../streams';
import { decide } from './decide';
import { evolve } from './evolve';
import type { CaseCommand, CaseEvent, CaseState } from './types';

/** A case's rules in the shape every stream shares; a case that has no events yet is `undefined`. */
export const caseDecider: StreamDecider<CaseState | undefined, CaseCommand, CaseEvent> = {
  streamType: STREAM_TYPE.case,
  decide,
  evolve,
  initialState: () => undefined,
};
