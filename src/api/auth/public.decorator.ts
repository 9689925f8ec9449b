import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'aid:public';
/** Marks a handler that needs no bearer token (health, docs). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
