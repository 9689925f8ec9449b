import { z } from 'zod';
import { JurisdictionCode } from './auth-schemas';
import { Limit } from './schemas';
import { prose } from './text';

export const ReviewIdParams = z.object({ reviewId: z.string().regex(/^review-hh-[0-9a-f-]{36}-20\d\d$/, 'a review id') });
export const ReviewsQuery = z.object({
  jurisdiction: JurisdictionCode.optional(),
  year: z.coerce.number().int().min(2000).max(2200).optional(),
  status: z.enum(['open', 'confirmed', 'exit_proposed']).optional(),
  limit: Limit,
  cursor: z.string().max(200).optional(),
});
export const ConfirmReviewBody = z.object({ note: prose(2000, { description: 'what the visit found: why the household still qualifies' }) });
export const ProposeExitBody = z.object({ reason: prose(4000, { description: 'what verification found: income, housing, the route out of poverty' }) });

export const ReviewView = z.object({
  reviewId: z.string(),
  householdId: z.string(),
  village: z.string(),
  year: z.number().int(),
  status: z.enum(['open', 'confirmed', 'exit_proposed']),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  closedBy: z.string().nullable(),
  exitCaseId: z.string().nullable().describe('the exit case the review started, when it proposed an exit'),
});
export const ReviewListView = z.object({ items: z.array(ReviewView), nextCursor: z.string().nullable() });
