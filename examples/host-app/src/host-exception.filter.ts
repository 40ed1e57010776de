import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';

interface Reply {
  status(code: number): { send(body: unknown): void };
}

/** A host's own global error shape (HOST_EXCEPTION_FILTER=true): `{"hostError":{"status","message"}}`. */
@Catch()
export class HostExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const status = exception instanceof HttpException ? exception.getStatus() : statusOf(exception);
    const message = exception instanceof Error ? exception.message : 'error';
    host.switchToHttp().getResponse<Reply>().status(status).send({ hostError: { status, message } });
  }
}

function statusOf(exception: unknown): number {
  const status = (exception as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : 500;
}
