/**
 * The stream types of revolving loans as stored in `streams.stream_type`. The domain registers
 * the same three names in src/domain/streams.ts with their deciders; the projections only
 * need the names, so they hold them here and do not depend on that registration.
 */
export const LOAN_STREAM = { scheme: 'loan-scheme', batch: 'loan-batch', loan: 'loan' } as const;
