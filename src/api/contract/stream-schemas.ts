import { z } from 'zod';
import { EventView, Limit } from './schemas';

/** Reading one stream's events: a page from a version on, and the verdict on the stream's whole hash chain. */

export const StreamPageQuery = z.object({
  limit: Limit,
  cursor: z
    .string()
    .regex(/^[1-9][0-9]{0,8}$/, 'the nextCursor of the previous page (a version number)')
    .optional()
    .describe('the nextCursor of the previous page'),
});

export const ChainView = z
  .object({
    verified: z.boolean().describe("true when every event's hash and link, and the stream's head, check out"),
    eventsChecked: z.number().int().describe('events checked before the verdict (all of them when verified)'),
    brokenAt: z.number().int().nullable().describe('the seq of the first event that does not check out; null when verified'),
    problem: z.string().nullable().describe('what does not check out, in Chinese and English; null when verified'),
  })
  .describe("the stream's whole chain recomputed on the server, from its first event to its head, whatever page is shown");

export const StreamEventsView = z.object({
  streamId: z.string(),
  events: z.array(EventView),
  nextCursor: z.string().nullable(),
  chain: ChainView,
});

export const CaseEventsView = StreamEventsView.extend({ caseId: z.string() });
