import { useEffect, useState } from 'preact/hooks';

/** Who is logged in on this tab. The token lives in sessionStorage: gone when the tab closes, never shared with other tabs. */
export interface SessionUser {
  userId: string;
  name: string;
  role: string;
  jurisdiction: string;
}
export interface Session {
  token: string;
  expiresAt: string;
  user: SessionUser;
}

const KEY = 'console.session';
const listeners = new Set<(s: Session | null) => void>();

function read(): Session | null {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Session | null;
    return s && Date.parse(s.expiresAt) > Date.now() ? s : null;
  } catch {
    return null;
  }
}
let current: Session | null = read();

export function session(): Session | null {
  if (current && Date.parse(current.expiresAt) <= Date.now()) setSession(null);
  return current;
}

export function setSession(s: Session | null): void {
  current = s;
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  else sessionStorage.removeItem(KEY);
  for (const f of listeners) f(s);
}

export function useSession(): Session | null {
  const [s, set] = useState(session());
  useEffect(() => {
    listeners.add(set);
    return () => void listeners.delete(set);
  }, []);
  return s;
}

/** What the logged-in role does here: the pages offered in the navigation. */
export const OFFICIALS = ['village_official', 'town_official', 'county_official'];
export const SUPERVISING = ['supervisor', 'county_official', 'auditor'];
export const FUND_READERS = ['fund_manager', 'cashier', 'supervisor', 'auditor', 'county_official'];
const HOMES: Record<string, string> = { applicant: '/mine', cashier: '/money', administrator: '/admin' };
export const homeFor = (role: string): string => HOMES[role] ?? (SUPERVISING.includes(role) && !OFFICIALS.includes(role) ? '/oversight' : '/inbox');
