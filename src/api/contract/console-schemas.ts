import { z } from 'zod';
import { PUBLICITY_STAGES } from '../../domain/case/stages';
import { CaseView, VillageCode } from './schemas';

/** The shapes of the reads the web console needs beyond the case routes: an applicant's own cases, a village's publicity notice. */

export const MyCasesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(20),
  cursor: z.string().max(200).optional(),
});

export const MyCasesView = z.object({ items: z.array(CaseView), nextCursor: z.string().nullable() });

export const PublicityParams = z.object({ village: VillageCode });
export const PublicityQuery = z.object({
  stage: z.enum(PUBLICITY_STAGES).describe('which publicity period: village, town or exit'),
  limit: z.coerce.number().int().min(1).max(500).default(500).describe('households on one notice; a village has a few hundred at most'),
  cursor: z.string().max(200).optional(),
});

export const PublicityNoticeView = z.object({
  village: z.object({ code: z.string(), name: z.string().nullable() }),
  town: z.object({ code: z.string(), name: z.string().nullable() }),
  county: z.object({ code: z.string(), name: z.string().nullable() }),
  stage: z.enum(PUBLICITY_STAGES),
  asOf: z.string(),
  items: z.array(
    z.object({
      caseId: z.string(),
      members: z.array(z.object({ name: z.string(), relation: z.string(), idMasked: z.string() })),
      startedAt: z.string(),
      endsAt: z.string().nullable(),
      ended: z.boolean(),
      openObjections: z.number().int(),
    }),
  ),
  nextCursor: z.string().nullable(),
});
