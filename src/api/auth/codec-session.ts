import { SetMetadata } from '@nestjs/common';

/**
 * The Temporal UI calls the codec endpoints from the browser and cannot send our bearer token
 * (it forwards only its own OIDC token, if any). An operator therefore starts a session with
 * POST /codec/session (bearer token): an HttpOnly cookie scoped to /codec, which the UI sends
 * when "include cross-origin credentials" is on. SameSite=Strict: it goes only with requests
 * from the same site (the UI on another port of the same host, or a sibling subdomain).
 */
export const CODEC_SESSION_COOKIE = 'aid_codec_session';
export const CODEC_SESSION_SECONDS = 8 * 60 * 60;

const ACCEPTS_CODEC_SESSION = 'aid:codec-session';
/** Marks a handler that also authenticates with the codec session cookie. */
export const AcceptsCodecSession = () => SetMetadata(ACCEPTS_CODEC_SESSION, true);
export const acceptsCodecSessionKey = ACCEPTS_CODEC_SESSION;

/** The session cookie's token, from a Cookie header. */
export function codecSessionToken(cookieHeader: string | undefined): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === CODEC_SESSION_COOKIE) return decodeURIComponent(part.slice(eq + 1).trim()) || undefined;
  }
  return undefined;
}

/** The Set-Cookie value; Secure when the request came over TLS. */
export function codecSessionCookie(token: string, secure: boolean): string {
  return `${CODEC_SESSION_COOKIE}=${encodeURIComponent(token)}; Path=/codec; Max-Age=${CODEC_SESSION_SECONDS}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}
