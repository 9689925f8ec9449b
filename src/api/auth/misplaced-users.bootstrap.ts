import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { deactivateMisplacedUsers, LastAdministratorMisplacedError } from '../../directory/misplaced-users';
import { misplacement } from '../../domain/role-levels';
import type { EventStore } from '../../store/event-store';
import { CLOCK, EVENT_STORE, PG_POOL } from '../tokens';

/** How soon to try again when Postgres was away as the API started. */
const RETRY_MS = 30_000;

/**
 * As the API starts, every active user whose role is held at the wrong level is deactivated
 * (directory/misplaced-users.ts), each named in the log by id, role and place (never by name);
 * a county whose only administrator is misplaced stops the start instead. The API starts while
 * Postgres is away (it answers 503 until it is back), so the check is then retried in the
 * background; meanwhile every request of a misplaced user is refused anyway (auth.guard.ts).
 */
@Injectable()
export class MisplacedUsersBootstrap implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('auth');
  private retry?: NodeJS.Timeout;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.check();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.retry);
  }

  private async check(): Promise<void> {
    try {
      for (const u of await deactivateMisplacedUsers(this.pool, this.store, this.clock())) {
        this.log.warn(`deactivated user ${u.userId} (${u.role} at ${u.jurisdiction}): ${misplacement(u.role, u.jurisdiction)}`);
      }
    } catch (e) {
      if (e instanceof LastAdministratorMisplacedError) throw e;
      this.log.warn(
        `could not check users' roles against their places yet (${e instanceof Error ? e.message : 'unknown error'}); trying again in ${RETRY_MS / 1000} s`,
      );
      // Found later, the only administrator left in place is logged, not a crash: the guard refuses it meanwhile.
      this.retry = setTimeout(() => void this.check().catch((late: Error) => this.log.error(late.message)), RETRY_MS).unref();
    }
  }
}
