export * from './appraisal';
export * from './decide';
export * from './evolve';
export * from './stages';
export * from './types';
export * from './decider';
export * from './escalation';
export * from './queries';
