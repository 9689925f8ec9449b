import { useState } from 'preact/hooks';
import { api, asProblem, type Problem } from '../api/client';
import { useIdempotencyKey } from '../idempotency';
import { Loading, Notice, ProblemMessage, useLoad } from '../components/status';
import { useMessages } from '../i18n';
import type { Session } from '../session';
import { ROLES } from '../../../src/domain/roles';

// The server's own list (the console imports src/domain as the appraisal form does).
type Role = (typeof ROLES)[number];
type Level = 'county' | 'town' | 'village';

/** One user's row: activate or deactivate, reset the password. */
function UserActions({ userId, active, onChanged }: { userId: string; active: boolean; onChanged: () => void }) {
  const m = useMessages();
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState(false);
  const toggle = async () => {
    setProblem(null);
    const { error, response } = await api.PATCH('/users/{userId}', { params: { path: { userId } }, body: { active: !active } });
    if (!response.ok) return setProblem(asProblem(error, response.status));
    onChanged();
  };
  const reset = async (e: Event) => {
    e.preventDefault();
    setProblem(null);
    const { error, response } = await api.POST('/users/{userId}/password', { params: { path: { userId } }, body: { password } });
    if (!response.ok) return setProblem(asProblem(error, response.status));
    setPassword('');
    setDone(true);
  };
  return (
    <div class="actions">
      <button type="button" onClick={toggle}>
        {active ? m.admin.deactivate : m.admin.activate}
      </button>
      <form class="form inline" onSubmit={reset} aria-label={`${m.admin.resetPassword} ${userId}`}>
        <label>
          {m.admin.newPassword}
          <input
            type="password"
            name="password"
            autoComplete="new-password"
            minLength={10}
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <button type="submit">{m.admin.setPassword}</button>
      </form>
      {done && <Notice>{m.admin.passwordSet}</Notice>}
      <ProblemMessage problem={problem} />
    </div>
  );
}

/** 管理: a county (or town) administrator's users and jurisdiction tree, within their own jurisdiction. */
export function AdminPage({ session }: { session: Session }) {
  const m = useMessages();
  const users = useLoad(() => api.GET('/users', { params: { query: { limit: 100 } } }), []);
  const places = useLoad(() => api.GET('/jurisdictions'), []);
  const [user, setUser] = useState({ username: '', name: '', role: 'village_official' as Role, jurisdiction: session.user.jurisdiction, password: '' });
  const [place, setPlace] = useState({ code: '', name: '', level: 'village' as Level, parentCode: '' });
  const [problem, setProblem] = useState<Problem | null>(null);
  const [created, setCreated] = useState(false);
  const { key, answered } = useIdempotencyKey();

  const createUser = async (e: Event) => {
    e.preventDefault();
    setProblem(null);
    const { data, error, response } = await api.POST('/users', {
      params: { header: { 'Idempotency-Key': key } },
      body: { ...user, username: user.username.trim() },
    });
    answered(response.status);
    if (!data) return setProblem(asProblem(error, response.status));
    setUser({ ...user, username: '', name: '', password: '' });
    setCreated(true);
    users.reload();
  };
  const createPlace = async (e: Event) => {
    e.preventDefault();
    setProblem(null);
    const { data, error, response } = await api.POST('/jurisdictions', {
      body: { code: place.code, name: place.name, level: place.level, ...(place.parentCode ? { parentCode: place.parentCode } : {}) },
    });
    answered(response.status);
    if (!data) return setProblem(asProblem(error, response.status));
    setPlace({ ...place, code: '', name: '' });
    places.reload();
  };

  return (
    <section>
      <h1>{m.admin.title}</h1>
      <ProblemMessage problem={problem} />
      <section class="card" aria-labelledby="users-h">
        <h2 id="users-h">{m.admin.users}</h2>
        {users.loading && !users.data && <Loading />}
        <ProblemMessage problem={users.problem} />
        <ul class="plain">
          {users.data?.items.map((u) => (
            <li key={u.userId} class="user" data-user={u.userId}>
              <strong>{u.name}</strong> <span class="mono small">{u.username}</span> · {m.roles[u.role] ?? u.role} · {u.jurisdiction} ·{' '}
              {u.active ? m.admin.active : m.admin.inactive}
              {u.lockedUntil && ` · ${m.admin.locked}`}
              {u.userId !== session.user.userId && (
                // Folded: a county has hundreds of users, and the list must stay readable on a phone.
                <details>
                  <summary>{m.admin.manage}</summary>
                  <UserActions userId={u.userId} active={u.active} onChanged={users.reload} />
                </details>
              )}
            </li>
          ))}
        </ul>
        <h3>{m.admin.newUser}</h3>
        {created && <Notice>{m.admin.created}</Notice>}
        <form class="form" onSubmit={createUser} aria-label={m.admin.newUser}>
          <label>
            {m.admin.username}
            <input name="username" required autoComplete="off" value={user.username} onInput={(e) => setUser({ ...user, username: e.currentTarget.value })} />
          </label>
          <label>
            {m.admin.name}
            <input name="name" required value={user.name} onInput={(e) => setUser({ ...user, name: e.currentTarget.value })} />
          </label>
          <label>
            {m.admin.role}
            <select name="role" value={user.role} onChange={(e) => setUser({ ...user, role: e.currentTarget.value as Role })}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {m.roles[r]}
                </option>
              ))}
            </select>
          </label>
          <label>
            {m.admin.jurisdiction}
            <input
              name="jurisdiction"
              inputMode="numeric"
              required
              value={user.jurisdiction}
              onInput={(e) => setUser({ ...user, jurisdiction: e.currentTarget.value.trim() })}
            />
          </label>
          <label>
            {m.admin.password}
            <input
              name="newPassword"
              type="password"
              autoComplete="new-password"
              minLength={10}
              required
              value={user.password}
              onInput={(e) => setUser({ ...user, password: e.currentTarget.value })}
            />
          </label>
          <button type="submit" class="primary">
            {m.admin.create}
          </button>
        </form>
      </section>
      <section class="card" aria-labelledby="places-h">
        <h2 id="places-h">{m.admin.jurisdictions}</h2>
        <ul class="plain">
          {places.data?.items.map((j) => (
            <li key={j.code} data-code={j.code}>
              <span class="mono">{j.code}</span> {j.name} · {m.admin.levels[j.level]}
            </li>
          ))}
        </ul>
        <h3>{m.admin.newJurisdiction}</h3>
        <form class="form" onSubmit={createPlace} aria-label={m.admin.newJurisdiction}>
          <label>
            {m.admin.code}
            <input name="code" inputMode="numeric" required value={place.code} onInput={(e) => setPlace({ ...place, code: e.currentTarget.value.trim() })} />
          </label>
          <label>
            {m.admin.name}
            <input name="placeName" required value={place.name} onInput={(e) => setPlace({ ...place, name: e.currentTarget.value })} />
          </label>
          <label>
            {m.admin.level}
            <select name="level" value={place.level} onChange={(e) => setPlace({ ...place, level: e.currentTarget.value as Level })}>
              {(['county', 'town', 'village'] as const).map((l) => (
                <option key={l} value={l}>
                  {m.admin.levels[l]}
                </option>
              ))}
            </select>
          </label>
          <label>
            {m.admin.parent}
            <input
              name="parentCode"
              inputMode="numeric"
              value={place.parentCode}
              onInput={(e) => setPlace({ ...place, parentCode: e.currentTarget.value.trim() })}
            />
          </label>
          <button type="submit" class="primary">
            {m.admin.create}
          </button>
        </form>
      </section>
    </section>
  );
}
