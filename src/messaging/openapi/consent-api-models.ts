import { CHANNEL_NAMES } from '../common/channel-names.js';
import { SUPPRESSION_REASONS, SUPPRESSION_SCOPES, SUPPRESSION_SOURCES } from '../common/consent-fields.js';
import { ApiProperty } from '../common/swagger.js';

/** One entry of the suppression list (consent/suppression-view.ts). */
export class SuppressionModel {
  @ApiProperty({ enum: [...CHANNEL_NAMES] })
  channel!: string;

  @ApiProperty({ description: 'Normalised: a lower-case email address or an E.164 number' })
  address!: string;

  @ApiProperty({ enum: [...SUPPRESSION_SCOPES] })
  scope!: string;

  @ApiProperty({ enum: [...SUPPRESSION_REASONS] })
  reason!: string;

  @ApiProperty({ enum: [...SUPPRESSION_SOURCES] })
  source!: string;

  @ApiProperty({ description: 'Holds for every tenant (an inbound STOP); removed only by the recipient (START)' })
  allTenants!: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class SuppressionsPageModel {
  @ApiProperty({ type: [SuppressionModel] })
  suppressions!: SuppressionModel[];

  @ApiProperty({ type: 'string', nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' })
  nextCursor!: string | null;
}
