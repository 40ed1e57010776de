import { Get, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse } from '../common/swagger.js';
import type { FastifyReply } from 'fastify';
import { HealthReportModel } from '../openapi/api-models.js';
import { MessagingController } from '../auth/messaging-controller.decorator.js';
import { HealthService, type HealthReport } from './health.service.js';

/** GET /messaging/health: public, so load balancers and probes need no token. */
@MessagingController('health', { public: true })
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @ApiOperation({ summary: 'Health of the database and of each provider (no token needed)' })
  @ApiResponse({ status: 200, type: HealthReportModel, description: '`healthy`, or `degraded` when a configured provider or Redis does not answer' })
  @ApiResponse({ status: 503, type: HealthReportModel, description: '`unhealthy`: the database does not answer, nothing can be sent' })
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    const report = await this.health.report();
    if (report.status === 'unhealthy') void reply.status(503);
    return report;
  }
}
