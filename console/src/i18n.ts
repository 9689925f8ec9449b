import { useEffect, useState } from 'preact/hooks';
import { en } from './messages/en';
import { zh, type Messages } from './messages/zh';

/** Chinese first (the people who use this work in Chinese); English on request, remembered on this device. */
export type Lang = 'zh-CN' | 'en';
const KEY = 'console.lang';
const listeners = new Set<(l: Lang) => void>();

function initial(): Lang {
  try {
    return localStorage.getItem(KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}
let current: Lang = initial();

export function lang(): Lang {
  return current;
}

export function setLang(l: Lang): void {
  current = l;
  try {
    localStorage.setItem(KEY, l);
  } catch {
    /* private mode: the choice lasts this page only */
  }
  document.documentElement.lang = l;
  for (const f of listeners) f(l);
}

export function messages(): Messages {
  return current === 'en' ? en : zh;
}

/** The messages of the language in force; the component renders again when it changes. */
export function useMessages(): Messages {
  const [, setL] = useState(current);
  useEffect(() => {
    listeners.add(setL);
    return () => void listeners.delete(setL);
  }, []);
  return messages();
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(current, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleDateString(current, { year: 'numeric', month: '2-digit', day: '2-digit' });
}

/** Integer fen as yuan with two decimals (never through a float sum: one division for display). */
export function formatYuan(fen: number): string {
  return `¥${(fen / 100).toLocaleString(current, { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
