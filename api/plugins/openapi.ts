// The OpenAPI document (from the routes' zod schemas) at /openapi.json, and a docs page at /docs.
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

export const openapiPlugin = fp(async (app) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Closeloop API',
        version: '0.1.0',
        description:
          'Authenticate with `Authorization: Bearer <API key>` (org-scoped, from /v1/api-keys) or a Supabase Auth access token. ' +
          'A person in several organisations names one in the `X-Closeloop-Org` header. Errors are RFC 9457 problem+json.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { config: { auth: 'none' }, schema: { hide: true } }, async () => app.swagger());
});
