import { Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { MessagingController } from '../auth/messaging-controller.decorator.js';
import { HealthService, type HealthReport } from './health.service.js';

/** GET /messaging/health: public, so load balancers and probes need no token. */
@MessagingController('health', { public: true })
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    const report = await this.health.report();
    if (report.status === 'unhealthy') void reply.status(503);
    return report;
  }
}
