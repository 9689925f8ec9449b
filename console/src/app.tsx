import { useEffect } from 'preact/hooks';
import { api } from './api/client';
import { lang, setLang, useMessages } from './i18n';
import { forgetPlaces } from './places';
import { Link, match, navigate, useLocation } from './router';
import { FUND_READERS, homeFor, OFFICIALS, SUPERVISING, setSession, useSession, type Session } from './session';
import { AdminPage } from './pages/admin';
import { ApplyPage } from './pages/apply';
import { CasePage } from './pages/case';
import { FundsPage } from './pages/funds';
import { InboxPage } from './pages/inbox';
import { IntakePage } from './pages/intake';
import { LoginPage } from './pages/login';
import { MinePage } from './pages/mine';
import { NoticePage } from './pages/notice';
import { NotFoundPage } from './pages/not-found';
import { OversightPage } from './pages/oversight';
import { PaymentPage } from './pages/payment';

/** Pages open without logging in. */
const PUBLIC = ['/login'];

function Page({ path, session }: { path: string; session: Session }) {
  if (path === '/' || path === '') return null; // redirected below
  if (path === '/inbox') return <InboxPage session={session} />;
  if (path === '/apply') return <ApplyPage session={session} />;
  if (path === '/mine') return <MinePage session={session} />;
  if (path === '/upload') return <IntakePage session={session} />;
  if (path === '/notice') return <NoticePage session={session} />;
  if (path === '/oversight') return <OversightPage />;
  if (path === '/money') return <FundsPage />;
  if (path === '/admin') return <AdminPage session={session} />;
  const c = match('/case/:caseId', path);
  if (c) return <CasePage caseId={c.caseId} session={session} />;
  const p = match('/payment/:disbursementId', path);
  if (p) return <PaymentPage disbursementId={p.disbursementId} session={session} />;
  return <NotFoundPage />;
}

function Nav({ session }: { session: Session }) {
  const m = useMessages();
  const { path } = useLocation();
  const role = session.user.role;
  const links: [string, string][] = [];
  if (OFFICIALS.includes(role) || role === 'fund_manager') links.push(['/inbox', m.nav.inbox]);
  if (role === 'applicant' || role === 'village_official') links.push(['/apply', m.nav.apply]);
  if (role === 'village_official') links.push(['/upload', m.nav.intake]);
  if (role === 'applicant') links.push(['/mine', m.nav.mine]);
  if (role === 'applicant' || OFFICIALS.includes(role) || SUPERVISING.includes(role)) links.push(['/notice', m.nav.notice]);
  if (SUPERVISING.includes(role)) links.push(['/oversight', m.nav.oversight]);
  if (FUND_READERS.includes(role)) links.push(['/money', m.nav.funds]);
  if (role === 'administrator') links.push(['/admin', m.nav.admin]);
  const logout = async () => {
    // The session ends on the server too; whatever it answers, this tab forgets the token.
    await api.POST('/auth/logout', {}).catch(() => undefined);
    setSession(null);
    forgetPlaces();
    navigate('/login');
  };
  return (
    <nav aria-label={m.nav.menu} class="nav">
      <ul>
        {links.map(([href, label]) => (
          <li key={href}>
            <Link href={href} aria-current={path === href ? 'page' : undefined}>
              {label}
            </Link>
          </li>
        ))}
      </ul>
      <button type="button" class="link-button" onClick={logout}>
        {m.nav.logout}
      </button>
    </nav>
  );
}

export function App() {
  const m = useMessages();
  const session = useSession();
  const { path } = useLocation();

  useEffect(() => {
    document.documentElement.lang = lang();
  });
  useEffect(() => {
    if (!session && !PUBLIC.includes(path)) navigate('/login', { replace: true });
    else if (session && (path === '/' || path === '/login')) navigate(homeFor(session.user.role), { replace: true });
  }, [session, path]);

  return (
    <>
      <a class="skip" href="#main">
        {m.skipToMain}
      </a>
      <header class="top">
        <div class="brand">
          <span class="app-name">{m.appName}</span>
          {session && (
            <span class="who">
              {session.user.name} · {m.roles[session.user.role] ?? session.user.role}
            </span>
          )}
        </div>
        <button
          type="button"
          class="lang"
          lang={lang() === 'en' ? 'zh-CN' : 'en'}
          title={m.languageSwitchLabel}
          onClick={() => setLang(lang() === 'en' ? 'zh-CN' : 'en')}
        >
          {m.languageSwitch}
        </button>
        {session && <Nav session={session} />}
      </header>
      <main id="main" tabIndex={-1}>
        {session ? <Page path={path} session={session} /> : path === '/login' ? <LoginPage /> : null}
      </main>
    </>
  );
}
