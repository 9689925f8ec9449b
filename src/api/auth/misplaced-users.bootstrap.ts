import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Pool } from 'pg';
import { deactivateMisplacedUsers } from '../../directory/misplaced-users';
import { misplacement } from '../../domain/role-levels';
import type { EventStore } from '../../store/event-store';
import { CLOCK, EVENT_STORE, PG_POOL } from '../tokens';

/**
 * As the API starts, every active user whose role is held at the wrong level is deactivated
 * (directory/misplaced-users.ts), each named in the log by id, role and place (never by name);
 * a county whose only administrator is misplaced stops the start instead.
 */
@Injectable()
export class MisplacedUsersBootstrap implements OnApplicationBootstrap {
  private readonly log = new Logger('auth');

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const u of await deactivateMisplacedUsers(this.pool, this.store, this.clock())) {
      this.log.warn(`deactivated user ${u.userId} (${u.role} at ${u.jurisdiction}): ${misplacement(u.role, u.jurisdiction)}`);
    }
  }
}
