import type { ApiResponse, OpenAPIObject } from '@nestjs/swagger';

// @nestjs/swagger exports these interfaces only from a deep path its package.json `exports` hides.
type Schemas = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>;
/** An OpenAPI schema object (not a `$ref`). */
export type SchemaObject = Exclude<Schemas[string], { $ref: string }>;
/** The `links` of an OpenAPI response. */
export type LinksObject = NonNullable<Parameters<typeof ApiResponse>[0]['links']>;
