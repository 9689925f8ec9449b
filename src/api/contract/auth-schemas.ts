import { z } from 'zod';
import { ROLES } from '../../domain/roles';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordFault, USERNAME_PATTERN, USERNAME_RULE } from '../../domain/users/credentials';
import { line } from './text';

/** A username as typed at log-in: surrounding blanks and capitals are forgiven, then it must be one a user can have. */
export const LoginUsername = z.string().trim().toLowerCase().regex(USERNAME_PATTERN, USERNAME_RULE);
export const Username = z.string().regex(USERNAME_PATTERN, USERNAME_RULE);

/** A new password (issue #12 policy); the message names the rule, never the password. */
export const NewPassword = z
  .string()
  .superRefine((s, ctx) => {
    const fault = passwordFault(s);
    if (fault) ctx.addIssue({ code: 'custom', message: fault, abort: true });
  })
  .meta({
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
    description: `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters, no control characters`,
  });

export const LoginBody = z.object({
  username: LoginUsername,
  // Any password may be tried (it is only compared); the bound keeps hashing cheap.
  password: z.string().min(1, 'must not be empty').max(PASSWORD_MAX_LENGTH, `at most ${PASSWORD_MAX_LENGTH} characters`),
});

const SessionUser = z.object({ userId: z.string(), name: z.string(), role: z.enum(ROLES), jurisdiction: z.string() });

export const LoginView = z.object({
  token: z.string().describe('send as `Authorization: Bearer <token>`; it stops working at expiresAt or on POST /auth/logout'),
  expiresAt: z.string(),
  user: SessionUser,
});

export const MeView = SessionUser.extend({ jurisdictionName: z.string() });

export const JurisdictionCode = z.string().regex(/^\d{6}(\d{3}){0,2}$/, 'a county (6), town (9) or village (12) digit code');
export const JurisdictionName = line(100, 'the name people know it by, e.g. 石板村');

export const UserIdParams = z.object({ userId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'a user id') });

export const UserView = z.object({
  userId: z.string(),
  username: z.string().describe('what the user logs in with (the same as userId)'),
  name: z.string(),
  role: z.enum(ROLES),
  jurisdiction: z.string(),
  active: z.boolean(),
  hasPassword: z.boolean().describe('false for users that have only an API token'),
  lockedUntil: z.string().nullable().describe('set while the account is locked after failed log-ins'),
  createdAt: z.string(),
});

export const UserListQuery = z.object({
  jurisdiction: JurisdictionCode.optional().describe('only users whose jurisdiction lies within this one (within yours)'),
  role: z.enum(ROLES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
});
export const UserListView = z.object({ items: z.array(UserView), nextCursor: z.string().nullable() });

export const CreateUserBody = z.object({
  username: Username,
  name: line(100, "the person's or office's name"),
  role: z.enum(ROLES),
  jurisdiction: JurisdictionCode,
  password: NewPassword,
});

export const ChangeUserBody = z
  .object({
    name: line(100).optional(),
    role: z.enum(ROLES).optional(),
    jurisdiction: JurisdictionCode.optional(),
    active: z.boolean().optional().describe('false deactivates: the user can no longer log in, and their sessions and API token stop working'),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'give at least one of name, role, jurisdiction, active');

export const PasswordBody = z.object({ password: NewPassword });
export const PasswordSetView = z.object({ userId: z.string(), passwordSetAt: z.string() });

export const JurisdictionView = z.object({
  code: z.string(),
  name: z.string(),
  level: z.enum(['county', 'town', 'village']),
  parentCode: z.string().nullable(),
  population: z.number().int().nullable().optional(),
});
export const JurisdictionListView = z.object({ items: z.array(JurisdictionView) });

export const CreateJurisdictionBody = z.object({
  code: JurisdictionCode,
  name: JurisdictionName,
  level: z.enum(['county', 'town', 'village']),
  parentCode: JurisdictionCode.nullable().optional().describe('the town of a village, the county of a town; none for a county'),
});
export const RenameJurisdictionBody = z
  .object({
    name: JurisdictionName.optional(),
    population: z.number().int().min(0).max(100_000_000).optional().describe('registered population, for poverty incidence in the reports (issue #13)'),
  })
  .refine((b) => b.name !== undefined || b.population !== undefined, 'give name, population or both');
