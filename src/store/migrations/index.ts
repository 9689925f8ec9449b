import * as m001 from './001-event-store';
import * as m002 from './002-directory';
import * as m003 from './003-cases';

/** Applied in order, once each; never edit one that has shipped: add a new one. */
export const migrations: ReadonlyArray<{ id: string; sql: string }> = [
  { id: '001-event-store', sql: m001.sql },
  { id: '002-directory', sql: m002.sql },
  { id: '003-cases', sql: m003.sql },
];
