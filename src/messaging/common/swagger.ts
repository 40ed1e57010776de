import type * as Swagger from '@nestjs/swagger';

/**
 * The @nestjs/swagger decorators the module documents its routes with.
 * @nestjs/swagger is an optional peer dependency: it only describes the
 * routes for an OpenAPI document, so a host that serves no docs need not
 * install it (nor its TypeScript peer range, nor swagger-ui-dist). Without
 * it the decorators do nothing and the routes behave the same. Loaded once,
 * with a top-level import() (the package is ESM only).
 */
type SwaggerDecorators = Pick<
  typeof Swagger,
  | 'ApiBearerAuth'
  | 'ApiBody'
  | 'ApiConsumes'
  | 'ApiHeader'
  | 'ApiOkResponse'
  | 'ApiOperation'
  | 'ApiParam'
  | 'ApiProperty'
  | 'ApiPropertyOptional'
  | 'ApiQuery'
  | 'ApiResponse'
  | 'ApiTags'
>;

export type ApiPropertyOptions = Swagger.ApiPropertyOptions;

/** A decorator factory that records nothing: what every swagger decorator becomes without the package. */
const recordsNothing = (): ((...target: unknown[]) => void) => () => undefined;

const withoutSwagger = {
  ApiBearerAuth: recordsNothing,
  ApiBody: recordsNothing,
  ApiConsumes: recordsNothing,
  ApiHeader: recordsNothing,
  ApiOkResponse: recordsNothing,
  ApiOperation: recordsNothing,
  ApiParam: recordsNothing,
  ApiProperty: recordsNothing,
  ApiPropertyOptional: recordsNothing,
  ApiQuery: recordsNothing,
  ApiResponse: recordsNothing,
  ApiTags: recordsNothing,
} as unknown as SwaggerDecorators;

/** True when the package itself is missing (not a broken install of it, which must still fail loudly). */
function isMissing(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === 'ERR_MODULE_NOT_FOUND' && typeof message === 'string' && message.includes("'@nestjs/swagger'");
}

async function loadSwagger(): Promise<{ decorators: SwaggerDecorators; apiResponseKey: string }> {
  try {
    const swagger = await import('@nestjs/swagger');
    return { decorators: swagger, apiResponseKey: swagger.DECORATORS.API_RESPONSE };
  } catch (error) {
    if (isMissing(error)) return { decorators: withoutSwagger, apiResponseKey: 'swagger/apiResponse' };
    throw error;
  }
}

const loaded = await loadSwagger();

/** Metadata key of the responses @nestjs/swagger keeps on a route method. */
export const API_RESPONSE_METADATA = loaded.apiResponseKey;

export const {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiPropertyOptional,
  ApiQuery,
  ApiResponse,
  ApiTags,
} = loaded.decorators;
