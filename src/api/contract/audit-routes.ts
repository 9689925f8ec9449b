import { DenialListView, DenialsQuery } from './audit-schemas';
import type { RouteSpec } from './route-spec';

/** Oversight of access (issue #8 item 7): every 403 is an AccessDenied event; this reads them back. */
export const auditRoutes = {
  listDenials: {
    method: 'get',
    path: '/audit/denials',
    tag: 'audit',
    summary: 'Recorded 403s: who tried what, when, and why it was refused',
    description:
      'Oldest first. You see the denials of users whose own jurisdiction lies within yours (a town supervisor: that town and its villages; ' +
      'a county: everything under it). Filters: user, jurisdiction (within yours, else 403), from/to (UTC days, inclusive).',
    access: ['auditor', 'supervisor'],
    query: DenialsQuery,
    success: { status: 200, description: 'one page of denials', schema: DenialListView },
    errors: [400, 401, 403],
  },
} satisfies Record<string, RouteSpec>;
