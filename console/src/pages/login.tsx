import { useState } from 'preact/hooks';
import { api, asProblem, type Problem } from '../api/client';
import { formatTime, useMessages } from '../i18n';
import { navigate } from '../router';
import { forgetPlaces } from '../places';
import { homeFor, setSession } from '../session';

/** 登录: user name and password for a session token (POST /auth/login); failures and lock-out said plainly. */
export function LoginPage() {
  const m = useMessages();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [attempts, setAttempts] = useState(0);
  const expired = sessionStorage.getItem('console.expired') === '1';

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const { data, error, response } = await api.POST('/auth/login', { body: { username: username.trim(), password } });
      if (data) {
        sessionStorage.removeItem('console.expired');
        forgetPlaces();
        setSession({ token: data.token, expiresAt: data.expiresAt, user: data.user });
        navigate(homeFor(data.user.role), { replace: true });
        return;
      }
      setProblem(asProblem(error, response.status));
      setAttempts((n) => n + 1);
    } catch (err) {
      setProblem({ detail: (err as Error).message });
    } finally {
      setBusy(false);
    }
  };

  const message =
    problem?.status === 423
      ? m.login.locked(formatTime(problem.lockedUntil))
      : problem?.status === 401
        ? m.login.invalid
        : problem
          ? (problem.detail ?? m.login.failed)
          : null;

  return (
    <section class="card narrow">
      <h1>{m.login.title}</h1>
      {expired && !problem && (
        <p class="alert alert-info" role="status">
          {m.login.expired}
        </p>
      )}
      {message && (
        // One element per answer (data-attempt counts them), so that each failure is announced anew.
        <p key={attempts} class="alert alert-error" role="alert" data-problem={problem?.status} data-attempt={attempts}>
          {message}
        </p>
      )}
      <form onSubmit={submit} class="form">
        <label>
          {m.login.username}
          <input name="username" autoComplete="username" required value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
        </label>
        <label>
          {m.login.password}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? m.login.submitting : m.login.submit}
        </button>
      </form>
    </section>
  );
}
