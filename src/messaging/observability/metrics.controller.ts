import { Get, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { MessagingController } from '../auth/messaging-controller.decorator.js';
import { ApiOperation, ApiResponse } from '../common/swagger.js';
import { ErrorCode } from '../errors/error-codes.js';
import { ApiErrorResponses } from '../openapi/api-error-responses.js';
import { MessagingMetrics } from './messaging-metrics.js';
import { MetricsAccessGuard } from './metrics-access.guard.js';

/**
 * GET /messaging/metrics: Prometheus' text format. Not behind the JWT check (a scraper has no
 * client token) but MetricsAccessGuard's, and outside the rate limit, so scrapes never use up a
 * client's budget and a busy client never blinds monitoring.
 */
@MessagingController('metrics', { public: true, unthrottled: true })
export class MetricsController {
  constructor(private readonly metrics: MessagingMetrics) {}

  @Get()
  @UseGuards(MetricsAccessGuard)
  @ApiOperation({
    summary: 'Prometheus metrics (open on loopback; elsewhere `Authorization: Bearer <METRICS_TOKEN>`)',
  })
  @ApiResponse({
    status: 200,
    description: 'The Prometheus text exposition format, version 0.0.4',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiErrorResponses(ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN, ErrorCode.INTERNAL_ERROR)
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const { contentType, body } = await this.metrics.scrape();
    void reply.type(contentType);
    return body;
  }
}
