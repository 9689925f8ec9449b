import type { paths } from './schema';

/** Names for the shapes the pages use, taken from the generated document types (never written by hand). */
type Json<T> = T extends { content: { 'application/json': infer J } } ? J : never;
type Ok<P extends keyof paths, M extends 'get' | 'post'> = paths[P][M] extends { responses: infer R } ? Json<R[keyof R & (200 | 201)]> : never;

export type Task = Ok<'/tasks', 'get'>['items'][number];
export type CaseView = Ok<'/cases/{caseId}', 'get'>;
export type CaseEvent = Ok<'/cases/{caseId}/events', 'get'>['events'][number];
export type Notice = Ok<'/publicity/{village}', 'get'>;
export type Stalled = Ok<'/supervision/stalled', 'get'>['items'][number];
export type SummaryRow = Ok<'/supervision/summary', 'get'>['rows'][number];
export type ApplicationBody = Json<NonNullable<paths['/applications']['post']['requestBody']>>;
export type Member = ApplicationBody['household']['members'][number];
export type Votes = NonNullable<Json<NonNullable<paths['/cases/{caseId}/decisions']['post']['requestBody']>>['votes']>;
