import {
  ChangeUserBody,
  CreateJurisdictionBody,
  CreateUserBody,
  JurisdictionListView,
  JurisdictionView,
  LoginBody,
  LoginView,
  MeView,
  PasswordBody,
  PasswordSetView,
  RenameJurisdictionBody,
  UserIdParams,
  UserListQuery,
  UserListView,
  UserView,
} from './auth-schemas';
import { JurisdictionParams } from './jurisdiction-routes';
import type { RouteSpec } from './route-spec';

/** Log-in and sessions (issue #12). */
export const authRoutes = {
  login: {
    method: 'post',
    path: '/auth/login',
    tag: 'auth',
    summary: 'Log in with a username and password: a session token with its expiry',
    description:
      'Wrong username or password, and a deactivated account, are the same 401 (type …/invalid-credentials). ' +
      'After LOGIN_MAX_FAILURES (5) failures within LOGIN_FAILURE_WINDOW_MINUTES (15) the account is locked for LOGIN_LOCK_MINUTES (15): ' +
      '423 (type …/account-locked) with `lockedUntil`. Sessions last SESSION_HOURS (12).',
    access: 'public',
    body: LoginBody,
    example: { username: 'village-shiban', password: 'demo-password-2026' },
    success: { status: 200, description: 'logged in', schema: LoginView },
    errors: [400, 401, 423],
  },
  logout: {
    method: 'post',
    path: '/auth/logout',
    tag: 'auth',
    summary: 'End the session whose token is sent (an API token is left as it is)',
    access: 'authenticated',
    success: { status: 204, description: 'the session token no longer works' },
    errors: [401],
  },
  me: {
    method: 'get',
    path: '/auth/me',
    tag: 'auth',
    summary: 'Who the token belongs to',
    access: 'authenticated',
    success: { status: 200, description: 'the caller', schema: MeView },
    errors: [401],
  },
} satisfies Record<string, RouteSpec>;

/** User administration (issue #12): administrators, within their own jurisdiction. */
export const userRoutes = {
  listUsers: {
    method: 'get',
    path: '/users',
    tag: 'administration',
    summary: 'Users whose jurisdiction lies within yours, by user id',
    access: ['administrator'],
    query: UserListQuery,
    success: { status: 200, description: 'one page of users', schema: UserListView },
    errors: [400, 401, 403],
  },
  createUser: {
    method: 'post',
    path: '/users',
    tag: 'administration',
    summary: 'Create a user with a role and a jurisdiction within yours',
    description:
      'The username is also the user id. The operator role is not granted here (it sees every county). A role is held only at its level (village roles at a village, town roles at a town, county roles at the county): any other jurisdiction is 422 naming body.jurisdiction.',
    access: ['administrator'],
    body: CreateUserBody,
    example: {
      username: 'village-shiban-2',
      name: '石板村村委会 (second member)',
      role: 'village_official',
      jurisdiction: '522701101201',
      password: 'a-long-password',
    },
    success: { status: 201, description: 'created', schema: UserView },
    errors: [400, 401, 403, 409, 422],
  },
  changeUser: {
    method: 'patch',
    path: '/users/{userId}',
    tag: 'administration',
    summary: "Change a user's name, role or jurisdiction, or deactivate (active: false) or reactivate them",
    description:
      'Deactivating ends their sessions and stops their API token. You cannot deactivate yourself or change your own role or jurisdiction. A role and a jurisdiction (as changed, or as they were) of different levels are 422 naming body.jurisdiction.',
    access: ['administrator'],
    params: UserIdParams,
    body: ChangeUserBody,
    example: { active: false },
    success: { status: 200, description: 'the user after the change', schema: UserView },
    errors: [400, 401, 403, 404, 422],
  },
  setPassword: {
    method: 'post',
    path: '/users/{userId}/password',
    tag: 'administration',
    summary: "Set a user's password (a reset): it also lifts a lock-out and ends their sessions",
    access: ['administrator'],
    params: UserIdParams,
    body: PasswordBody,
    example: { password: 'another-long-password' },
    success: { status: 200, description: 'set', schema: PasswordSetView },
    errors: [400, 401, 403, 404],
  },
} satisfies Record<string, RouteSpec>;

/** The jurisdiction tree (county → towns → villages): everyone reads names, administrators edit within theirs. */
export const jurisdictionTreeRoutes = {
  listJurisdictions: {
    method: 'get',
    path: '/jurisdictions',
    tag: 'jurisdictions',
    summary: 'Your jurisdiction and every one under it, with names',
    access: 'authenticated',
    success: { status: 200, description: 'by code', schema: JurisdictionListView },
    errors: [401],
  },
  createJurisdiction: {
    method: 'post',
    path: '/jurisdictions',
    tag: 'jurisdictions',
    summary: 'Add a town or village within your jurisdiction',
    description: "A town's code is its county's and 3 digits, a village's its town's and 3 digits; the parent must exist.",
    access: ['administrator'],
    body: CreateJurisdictionBody,
    example: { code: '522701101203', name: '新寨村', level: 'village', parentCode: '522701101' },
    success: { status: 201, description: 'created', schema: JurisdictionView },
    errors: [400, 401, 403, 409],
  },
  renameJurisdiction: {
    method: 'patch',
    path: '/jurisdictions/{code}',
    tag: 'jurisdictions',
    summary: 'Rename a jurisdiction within yours, or record its registered population',
    access: ['administrator'],
    params: JurisdictionParams,
    body: RenameJurisdictionBody,
    example: { name: '石板村' },
    success: { status: 200, description: 'renamed', schema: JurisdictionView },
    errors: [400, 401, 403, 404],
  },
} satisfies Record<string, RouteSpec>;
