import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { z } from 'zod';
import { findJurisdiction, insertJurisdiction, jurisdictionsWithin, updateJurisdiction, type JurisdictionRow } from '../../directory/jurisdiction-tree';
import { contains, levelOf } from '../../domain/jurisdiction';
import type { AuthUser } from '../auth/user';
import type { CreateJurisdictionBody, JurisdictionView } from '../contract/auth-schemas';
import { forbidden, notFound, problem } from '../http/problem';
import { PG_POOL } from '../tokens';

const view = (j: JurisdictionRow): z.infer<typeof JurisdictionView> => ({
  code: j.code,
  name: j.name,
  level: j.level,
  parentCode: j.parent_code,
  ...(j.population !== null ? { population: j.population } : {}),
});

const fieldProblem = (path: string, message: string) => problem(400, 'validation', `the request body is not valid: ${path}`, [{ path, message }]);

/** The jurisdiction tree (issue #12): names for everyone, edits by administrators within their own jurisdiction. */
@Injectable()
export class JurisdictionTreeService {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async list(user: AuthUser) {
    return { items: (await jurisdictionsWithin(this.pool, user.jurisdiction)).map(view) };
  }

  /** A town under a county, a village under a town: the code says where it sits, and the parent must exist. */
  async create(admin: AuthUser, body: z.infer<typeof CreateJurisdictionBody>) {
    if (levelOf(body.code) !== body.level) throw fieldProblem('body.level', `the code ${body.code} is a ${levelOf(body.code)}'s (6, 9 or 12 digits)`);
    if (!contains(admin.jurisdiction, body.code) || body.code === admin.jurisdiction) throw forbidden('that jurisdiction is outside yours');
    const parentCode = body.code.slice(0, -3);
    if ((body.parentCode ?? null) !== parentCode) throw fieldProblem('body.parentCode', `must be ${parentCode}, the code without its last 3 digits`);
    if (!(await findJurisdiction(this.pool, parentCode))) throw fieldProblem('body.parentCode', '没有这个上级行政区划 (no such parent jurisdiction)');
    const created = await insertJurisdiction(this.pool, { code: body.code, name: body.name, level: body.level, parentCode });
    if (!created) throw problem(409, 'conflict', `代码已存在 (the code ${body.code} is taken)`);
    return view(created);
  }

  async rename(admin: AuthUser, code: string, change: { name?: string; population?: number }) {
    if (!contains(admin.jurisdiction, code)) throw forbidden('that jurisdiction is outside yours');
    const renamed = await updateJurisdiction(this.pool, code, change);
    if (!renamed) throw notFound('the jurisdiction');
    return view(renamed);
  }
}
