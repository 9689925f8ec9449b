import { DomainError } from '../../src/domain/errors';
import { reassignment } from '../../src/domain/task-reassignment';

const supervisor = { userId: 'sup-1', role: 'supervisor' as const, jurisdiction: '522701' };
const open = () => undefined;

describe('a reassignment', () => {
  it('to the official who holds the task already is an unfit assignee (invalid: 422), like any other', () => {
    let thrown: unknown;
    try {
      reassignment({ taskId: 't-1', from: 'v-1', to: 'v-1', reason: 'sick leave', actor: supervisor }, open);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({ code: 'invalid', message: '任务已由该用户办理 (the task is already held by v-1)' });
  });

  it('records who gave it to whom, from whom, and why', () => {
    expect(reassignment({ taskId: 't-1', from: null, to: 'v-2', reason: 'sick leave', actor: supervisor }, open)).toEqual({
      taskId: 't-1',
      from: null,
      to: 'v-2',
      reason: 'sick leave',
      by: 'sup-1',
    });
  });
});
