import { Get, Inject, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { MessagingController } from '../auth/messaging-controller.decorator.js';
import { ApiOperation, ApiParam, ApiResponse } from '../common/swagger.js';
import { ErrorCode } from '../errors/error-codes.js';
import { NotFoundError } from '../errors/messaging.errors.js';
import { ApiErrorResponses } from '../openapi/api-error-responses.js';
import { CONSOLE_CSP, CONSOLE_PAGE, type ConsoleAsset } from './console-assets.js';

/** The built console's files by name (console.registration.ts reads them once). */
export const CONSOLE_ASSETS = Symbol('CONSOLE_ASSETS');

/** File names the build writes: `app-<hash>.js`, `app-<hash>.css`; the OpenAPI pattern says the same. */
const FILE_PATTERN = '^[A-Za-z0-9_-]{1,100}\\.(js|css|svg|png)$';

/**
 * GET <prefix>/console: the operations console, a static single-page app (docs/console.md). No token:
 * the page holds no data, it asks for a token and then calls the guarded API routes with it, as any
 * other client would. Files are answered from memory by exact name, never from a path.
 */
@MessagingController('console', { public: true })
export class ConsoleController {
  constructor(@Inject(CONSOLE_ASSETS) private readonly assets: ReadonlyMap<string, ConsoleAsset>) {}

  @Get()
  @ApiOperation({ summary: 'The operations console (a web page; no token needed to load it)' })
  @ApiResponse({ status: 200, description: 'The page', content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiErrorResponses(ErrorCode.NOT_FOUND)
  page(@Res({ passthrough: true }) reply: FastifyReply): Buffer {
    return this.answer(CONSOLE_PAGE, reply);
  }

  @Get(':file')
  @ApiOperation({ summary: "One of the console page's script and style files" })
  @ApiParam({ name: 'file', schema: { type: 'string', pattern: FILE_PATTERN } })
  @ApiResponse({
    status: 200,
    description: 'The file; its name carries its content hash, so it may be cached for a year',
    content: { 'text/javascript': { schema: { type: 'string' } }, 'text/css': { schema: { type: 'string' } } },
  })
  @ApiErrorResponses(ErrorCode.NOT_FOUND)
  file(@Param('file') file: string, @Res({ passthrough: true }) reply: FastifyReply): Buffer {
    // The page only at the console's own address, so it has a single URL its relative links resolve from.
    if (file === CONSOLE_PAGE) throw new NotFoundError('No such console file');
    return this.answer(file, reply);
  }

  private answer(name: string, reply: FastifyReply): Buffer {
    const asset = this.assets.get(name);
    if (!asset) {
      throw new NotFoundError(name === CONSOLE_PAGE ? 'The console is not built (npm run build)' : 'No such console file');
    }
    void reply.headers({
      'content-type': asset.contentType,
      'cache-control': asset.cacheControl,
      'content-security-policy': CONSOLE_CSP,
      'x-content-type-options': 'nosniff',
      // The token arrives in the fragment, which no Referer carries; no other URL of ours leaks either.
      'referrer-policy': 'no-referrer',
    });
    return asset.body;
  }
}
