import { Delete, Get, HttpCode, Post, Res, UseInterceptors } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { MessagingController } from '../auth/messaging-controller.decorator.js';
import { RequiresScope } from '../auth/requires-scope.decorator.js';
import { MessagingScope } from '../common/scopes.js';
import { ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiResponse } from '../common/swagger.js';
import { CHANNEL_NAMES } from '../common/channel-names.js';
import { SUPPRESSION_SCOPES } from '../common/consent-fields.js';
import { ErrorCode } from '../errors/error-codes.js';
import { MessagingBody, MessagingParams, MessagingQuery } from '../errors/messaging-input.decorator.js';
import { NotFoundError, ValidationError } from '../errors/messaging.errors.js';
import { KnownQueryKeysInterceptor } from '../logs/dto/known-query-keys.interceptor.js';
import { ApiErrorResponses, COMMON_ERROR_CODES } from '../openapi/api-error-responses.js';
import { SuppressionModel, SuppressionsPageModel } from '../openapi/consent-api-models.js';
import {
  CreateSuppressionDto,
  DEFAULT_SUPPRESSION_PAGE,
  DeleteSuppressionQueryDto,
  LIST_SUPPRESSIONS_QUERY_KEYS,
  ListSuppressionsQueryDto,
  MAX_SUPPRESSION_ADDRESS_LENGTH,
  MAX_SUPPRESSION_PAGE,
  PRINTABLE_SCHEMA,
  SuppressionParamsDto,
} from './suppression.dto.js';
import { normaliseAddress } from './suppression-address.js';
import { toSuppressionView, type SuppressionsPage, type SuppressionView } from './suppression-view.js';
import { SuppressionStore } from './suppression.store.js';
import { Tenant } from '../auth/requested-by.decorator.js';
import type { ChannelName } from '../common/channel-names.js';

const ADDRESS_SCHEMA = { type: 'string', minLength: 1, maxLength: MAX_SUPPRESSION_ADDRESS_LENGTH, pattern: PRINTABLE_SCHEMA } as const;
const STORE_ERRORS = [ErrorCode.VALIDATION_ERROR, ErrorCode.SERVICE_UNAVAILABLE, ...COMMON_ERROR_CODES] as const;

/**
 * /messaging/suppressions: the caller's tenant's suppression list (docs/consent.md). Adding needs
 * `messaging:send` (a sender records an opt-out it heard of), reading `messaging:logs:read`, and
 * removing `messaging:admin`: lifting an opt-out is the one move here that can cause unwanted sends.
 */
@MessagingController('suppressions', { scope: MessagingScope.SEND })
export class SuppressionsController {
  constructor(private readonly store: SuppressionStore) {}

  @Get()
  @RequiresScope(MessagingScope.LOGS_READ)
  @ApiOperation({ summary: 'List the suppression list, oldest first' })
  @ApiQuery({ name: 'channel', required: false, enum: [...CHANNEL_NAMES] })
  @ApiQuery({ name: 'address', required: false, schema: ADDRESS_SCHEMA })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX_SUPPRESSION_PAGE, default: DEFAULT_SUPPRESSION_PAGE } })
  @ApiQuery({ name: 'cursor', required: false, description: '`nextCursor` of the previous page', schema: { type: 'string', pattern: '^[0-9a-f]{24}$' } })
  @ApiOkResponse({ type: SuppressionsPageModel })
  @ApiErrorResponses(...STORE_ERRORS)
  @UseInterceptors(new KnownQueryKeysInterceptor(LIST_SUPPRESSIONS_QUERY_KEYS))
  async list(@MessagingQuery() query: ListSuppressionsQueryDto, @Tenant() tenant: string): Promise<SuppressionsPage> {
    const limit = query.limit ?? DEFAULT_SUPPRESSION_PAGE;
    // An address that is no channel's normal form matches nothing; asking for it is not an error.
    const address = query.address === undefined ? undefined : normaliseLoosely(query.channel, query.address);
    const rows = await this.store.page(tenant, { channel: query.channel, address, limit: limit + 1, after: query.cursor });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { suppressions: page.map(toSuppressionView), nextCursor: rows.length > limit && last ? last._id.toHexString() : null };
  }

  /** Idempotent: 201 with the new entry, 200 with the one that already existed. */
  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Add an address to the suppression list' })
  @ApiOkResponse({ type: SuppressionModel, description: 'The entry already existed' })
  @ApiResponse({ status: 201, type: SuppressionModel, description: 'The entry was added' })
  @ApiErrorResponses(...STORE_ERRORS, ErrorCode.PAYLOAD_TOO_LARGE, ErrorCode.UNSUPPORTED_MEDIA_TYPE)
  async add(
    @MessagingBody() body: CreateSuppressionDto,
    @Tenant() tenant: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SuppressionView> {
    const address = normalised(body.channel, body.address);
    const scope = body.scope ?? 'all';
    const { row, created } = await this.store.add({ tenant, channel: body.channel, address, scope, reason: body.reason ?? 'manual', source: 'api' });
    if (created) void reply.status(201);
    return toSuppressionView(row);
  }

  /** 204 once removed; 404 when the caller's list has no such entry. */
  @Delete(':channel/:address')
  @RequiresScope(MessagingScope.ADMIN)
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove an address from the suppression list' })
  @ApiParam({ name: 'channel', enum: [...CHANNEL_NAMES] })
  @ApiParam({ name: 'address', schema: ADDRESS_SCHEMA })
  @ApiQuery({ name: 'scope', required: false, enum: [...SUPPRESSION_SCOPES], description: 'Only this scope; both when absent' })
  @ApiResponse({ status: 204, description: 'Removed' })
  @ApiErrorResponses(...STORE_ERRORS, ErrorCode.NOT_FOUND)
  @UseInterceptors(new KnownQueryKeysInterceptor(['scope']))
  async remove(
    @MessagingParams() params: SuppressionParamsDto,
    @MessagingQuery() query: DeleteSuppressionQueryDto,
    @Tenant() tenant: string,
  ): Promise<void> {
    const removed = await this.store.remove(tenant, params.channel, normalised(params.channel, params.address), query.scope);
    if (removed === 0) throw new NotFoundError('No such suppression');
  }
}

/** The stored form of `address`, or 400 naming the field. */
function normalised(channel: ChannelName, address: string): string {
  const value = normaliseAddress(channel, address);
  if (value !== undefined) return value;
  const rule = channel === 'email' ? 'an email address' : 'an E.164 number like +14155550100';
  throw ValidationError.listing('Invalid request', [{ field: 'address', errors: [`address must be ${rule}`] }]);
}

/** A filter value: normalised when it is an address of the channel (or, without one, of any). */
function normaliseLoosely(channel: ChannelName | undefined, address: string): string {
  const channels: ChannelName[] = channel ? [channel] : ['email', 'sms'];
  for (const candidate of channels) {
    const value = normaliseAddress(candidate, address);
    if (value !== undefined) return value;
  }
  return address;
}
