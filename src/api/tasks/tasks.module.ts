import { Module } from '@nestjs/common';
import { TasksController } from './tasks.controller';
import { TasksService } from './tasks.service';

/** The inbox of human steps, for every kind of subject. */
@Module({ controllers: [TasksController], providers: [TasksService] })
export class TasksModule {}
