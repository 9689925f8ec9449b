import { Body, Controller, Headers, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { assertRouteAccess } from '../auth/access';
import { AcceptsCodecSession, CODEC_SESSION_SECONDS, codecSessionCookie } from '../auth/codec-session';
import { CurrentUser, type AuthUser } from '../auth/user';
import { routes } from '../contract/routes';
import { validate } from '../http/validate';
import { CodecService } from './codec.service';

/** Temporal's codec server protocol (POST …/decode, …/encode), mounted at /codec; CORS in codec-cors.ts. */
@Controller('codec')
export class CodecController {
  constructor(private readonly codec: CodecService) {}

  @Post('decode')
  @HttpCode(200)
  @AcceptsCodecSession()
  decode(@CurrentUser() user: AuthUser, @Body() body: unknown, @Headers('x-namespace') namespace?: string) {
    const r = routes.codecDecode;
    assertRouteAccess(user, r);
    return this.codec.decode(user, validate(r.body, body, 'body'), namespace);
  }

  @Post('encode')
  @HttpCode(200)
  @AcceptsCodecSession()
  encode(@CurrentUser() user: AuthUser, @Body() body: unknown) {
    const r = routes.codecEncode;
    assertRouteAccess(user, r);
    return this.codec.encode(validate(r.body, body, 'body'));
  }

  /** Bearer only (not the cookie itself): the cookie carries the caller's own token, for /codec alone. */
  @Post('session')
  @HttpCode(200)
  session(@CurrentUser() user: AuthUser, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    assertRouteAccess(user, routes.codecSession);
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] as string;
    res.setHeader('Set-Cookie', codecSessionCookie(token, req.secure));
    res.setHeader('Cache-Control', 'no-store');
    return { expiresAt: new Date(Date.now() + CODEC_SESSION_SECONDS * 1000).toISOString() };
  }
}
