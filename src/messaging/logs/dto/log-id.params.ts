import { Matches } from 'class-validator';

/** Path of GET /messaging/logs/:id. */
export class LogIdParamsDto {
  /** The `_id` of a log row: 24 hex digits. */
  @Matches(/^[0-9a-fA-F]{24}$/, { message: '$property must be 24 hexadecimal digits' })
  id!: string;
}
