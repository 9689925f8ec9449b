import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Config } from '../../config/config';
import { ensureFirstAdmin } from '../../directory/first-admin';
import type { EventStore } from '../../store/event-store';
import { CONFIG, EVENT_STORE, PG_POOL } from '../tokens';

/**
 * With ADMIN_PASSWORD set, the API creates the first administrator as it starts, if there is no
 * administrator yet (so `docker compose up` can be logged in to from an empty database). Never
 * changes an existing one; the password is never logged.
 */
@Injectable()
export class FirstAdminBootstrap implements OnApplicationBootstrap {
  private readonly log = new Logger('auth');

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const admin = this.config.auth.firstAdmin;
    if (!admin) return;
    const r = await ensureFirstAdmin(this.pool, this.store, admin);
    if (r.created) this.log.log(`created the first administrator "${r.username}" for county ${r.county}`);
  }
}
