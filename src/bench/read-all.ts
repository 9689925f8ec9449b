import type { Pool } from 'pg';
import { EventStore } from '../store/event-store';

/** Reading every event in global order, a page of 1,000 at a time (projection rebuilds, chain checks). */
export async function benchReadAll(pool: Pool): Promise<void> {
  const store = new EventStore(pool);
  const t0 = Date.now();
  let cursor: string | undefined;
  let read = 0;
  for (;;) {
    const page = await store.readAll(cursor, 1000);
    if (page.events.length === 0) break;
    read += page.events.length;
    cursor = page.cursor;
  }
  process.stdout.write(`  readAll: ${read} events in global order: ${(read / ((Date.now() - t0) / 1000)).toFixed(0)} events/s\n`);
}
