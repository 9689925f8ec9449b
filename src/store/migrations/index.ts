import * as m001 from './001-event-store';
import * as m002 from './002-directory';
import * as m003 from './003-cases';
import * as m004 from './004-tasks';
import * as m005 from './005-intake';
import * as m006 from './006-funds';
import * as m007 from './007-reconciliation';
import * as m008 from './008-jurisdiction-settings';
import * as m009 from './009-idempotency-recovery';
import * as m010 from './010-no-truncate';
import * as m011 from './011-access-denials';
import * as m012 from './012-household-keys';
import * as m013 from './013-task-subjects';
import * as m014 from './014-loans';
import * as m015 from './015-append-events';
import * as m016 from './016-open-case-summary';
import * as m017 from './017-project-case';
import * as m018 from './018-users-auth';
import * as m019 from './019-ops-metrics';
import * as m021 from './021-append-fewer-lookups';
import * as m022 from './022-intake-xlsx';
import * as m023 from './023-help-and-review';

/** Applied in order, once each; never edit one that has shipped: add a new one. */
export const migrations: ReadonlyArray<{ id: string; sql: string }> = [
  { id: '001-event-store', sql: m001.sql },
  { id: '002-directory', sql: m002.sql },
  { id: '003-cases', sql: m003.sql },
  { id: '004-tasks', sql: m004.sql },
  { id: '005-intake', sql: m005.sql },
  { id: '006-funds', sql: m006.sql },
  { id: '007-reconciliation', sql: m007.sql },
  { id: '008-jurisdiction-settings', sql: m008.sql },
  { id: '009-idempotency-recovery', sql: m009.sql },
  { id: '010-no-truncate', sql: m010.sql },
  { id: '011-access-denials', sql: m011.sql },
  { id: '012-household-keys', sql: m012.sql },
  { id: '013-task-subjects', sql: m013.sql },
  { id: '014-loans', sql: m014.sql },
  { id: '015-append-events', sql: m015.sql },
  { id: '016-open-case-summary', sql: m016.sql },
  { id: '017-project-case', sql: m017.sql },
  { id: '018-users-auth', sql: m018.sql },
  { id: '019-ops-metrics', sql: m019.sql },
  { id: '021-append-fewer-lookups', sql: m021.sql },
  { id: '022-intake-xlsx', sql: m022.sql },
  { id: '023-help-and-review', sql: m023.sql },
];
