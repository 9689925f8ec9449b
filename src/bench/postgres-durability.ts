import type { Pool } from 'pg';

/**
 * The server's own word on whether a committed write survives a power cut, printed beside every
 * store figure: a figure measured with the flushes off says nothing about a county's server.
 */
export async function postgresDurability(pool: Pool): Promise<string> {
  const show = async (name: string) => (await pool.query<Record<string, string>>(`SHOW ${name}`)).rows[0]?.[name] ?? '?';
  const settings = ['fsync', 'synchronous_commit', 'full_page_writes'];
  const values = await Promise.all(settings.map(show));
  const durable = values.every((v) => v === 'on');
  return `Postgres ${durable ? 'durable' : 'NOT durable (throw-away)'}: ${settings.map((s, i) => `${s}=${values[i]}`).join(', ')}`;
}
