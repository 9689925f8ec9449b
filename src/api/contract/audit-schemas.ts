import { z } from 'zod';
import { Limit } from './schemas';
import { UserIdParams } from './auth-schemas';
import { IsoDay } from './reconciliation-schemas';

const Jurisdiction = z.string().regex(/^\d{6}(\d{3}){0,2}$/, 'a county (6), town (9) or village (12) code');

export const DenialsQuery = z
  .object({
    user: UserIdParams.shape.userId.optional().describe('only the denials of this user id'),
    jurisdiction: Jurisdiction.optional().describe('only the denials of users whose jurisdiction lies within this one (itself within yours)'),
    from: IsoDay.optional().describe('first UTC day, inclusive'),
    to: IsoDay.optional().describe('last UTC day, inclusive; not before from'),
    limit: Limit,
    cursor: z.string().max(200).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'a day on or after from' });

export const DenialView = z.object({
  denialId: z.string().describe("the AccessDenied event's id"),
  at: z.string().describe('when the request was refused (ISO 8601 UTC)'),
  userId: z.string(),
  role: z.string(),
  jurisdiction: z.string().describe("the refused user's jurisdiction"),
  method: z.string(),
  path: z.string().describe('the path requested, without its query'),
  reason: z.string().describe("what the API answered (the problem's detail)"),
  streamId: z.string().describe('the hash-chained audit stream holding the event (npm run verify-chain checks it)'),
  version: z.number().int(),
});

export const DenialListView = z.object({ items: z.array(DenialView), nextCursor: z.string().nullable() });
