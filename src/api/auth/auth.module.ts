import { Module } from '@nestjs/common';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { FirstAdminBootstrap } from './first-admin.bootstrap';

/** Log-in sessions, and the first administrator of a fresh install. */
@Module({ controllers: [AuthController], providers: [AuthService, FirstAdminBootstrap] })
export class AuthModule {}
