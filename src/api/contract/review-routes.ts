import { ConfirmReviewBody, ProposeExitBody, ReviewIdParams, ReviewListView, ReviewView, ReviewsQuery } from './review-schemas';
import type { RouteSpec } from './route-spec';

/** Issue #13: the annual re-verification of every enrolled household, a light procedure. */
export const reviewRoutes = {
  listReviews: {
    method: 'get',
    path: '/reviews',
    tag: 'reviews',
    summary: 'Annual re-verification reviews in your jurisdiction',
    access: ['village_official', 'town_official', 'county_official', 'supervisor', 'auditor'],
    query: ReviewsQuery,
    success: { status: 200, description: 'by review id', schema: ReviewListView },
    errors: [400, 401, 403],
  },
  confirmReview: {
    method: 'post',
    path: '/reviews/{reviewId}/confirm',
    tag: 'reviews',
    summary: 'Confirm that the household still qualifies',
    access: ['village_official', 'town_official'],
    params: ReviewIdParams,
    body: ConfirmReviewBody,
    example: { note: '入户核实：收入未达标，仍符合条件 / verified at home: still below the line' },
    success: { status: 200, description: 'the review, confirmed', schema: ReviewView },
    errors: [400, 401, 403, 404, 409],
  },
  proposeExitFromReview: {
    method: 'post',
    path: '/reviews/{reviewId}/propose-exit',
    tag: 'reviews',
    summary: 'Propose the household exits: starts the exit procedure (verification, publicity, announcement)',
    access: ['village_official', 'town_official'],
    params: ReviewIdParams,
    body: ProposeExitBody,
    idempotent: true,
    example: { reason: '人均纯收入连续两年超过标准，住房安全 / income above the line two years running; safe housing' },
    success: { status: 200, description: 'the review, with the exit case it started', schema: ReviewView },
    errors: [400, 401, 403, 404, 409],
  },
} satisfies Record<string, RouteSpec>;
