import { actsWithin } from '../../domain/role-levels';
import { OFFICIAL_ROLES } from '../../domain/roles';
import type { RouteSpec } from '../contract/routes';
import { forbidden } from '../http/problem';
import type { AuthUser } from './user';

/** The route's role rule, checked first in every handler. */
export function assertRouteAccess(user: AuthUser, spec: RouteSpec): void {
  if (spec.access === 'public' || spec.access === 'authenticated') return;
  if (!spec.access.includes(user.role)) throw forbidden(`this needs the role ${spec.access.join(' or ')}; you are ${user.role}`);
}

/** Reading a case: its applicant, or an official at its own level whose jurisdiction contains the case's village. */
export function assertMayReadCase(user: AuthUser, c: { applicant_id: string; village: string }): void {
  if (user.role === 'applicant') {
    if (c.applicant_id !== user.userId) throw forbidden('applicants may read only their own case');
    return;
  }
  if (!OFFICIAL_ROLES.includes(user.role) || !actsWithin(user, c.village)) throw forbidden('the case is outside your jurisdiction');
}

export function assertInJurisdiction(user: AuthUser, village: string): void {
  if (!actsWithin(user, village)) throw forbidden('the case is outside your jurisdiction');
}
