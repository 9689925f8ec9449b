import { Module } from '@nestjs/common';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { FirstAdminBootstrap } from './first-admin.bootstrap';
import { MisplacedUsersBootstrap } from './misplaced-users.bootstrap';

/** Log-in sessions, the first administrator of a fresh install, and no user whose role and place disagree. */
@Module({ controllers: [AuthController], providers: [AuthService, MisplacedUsersBootstrap, FirstAdminBootstrap] })
export class AuthModule {}
