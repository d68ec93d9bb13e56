// One error handler for the whole API: problem+json for every 4xx/5xx, never a stack or SQL in a response.
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import { HttpProblem, problemOf, sendProblem } from '../problem.ts';

interface PgError {
  code?: string;
  constraint_name?: string;
  column_name?: string;
}

const fieldOf = (path: ReadonlyArray<PropertyKey>, prefix = '') => [prefix, ...path.map(String)].filter(Boolean).join('.') || '(body)';

export const errorsPlugin = fp(async (app) => {
  app.setNotFoundHandler((request, reply) => sendProblem(reply, problemOf(request, 404, 'not-found', `No route ${request.method} ${request.url.split('?')[0]}`)));

  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    if (error instanceof HttpProblem) {
      return sendProblem(reply, problemOf(request, error.status, error.slug, error.message, error.errors), error.headers);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors = error.validation.map((v) => ({ field: fieldOf(v.instancePath.split('/').filter(Boolean), error.validationContext), message: v.message ?? 'invalid' }));
      return sendProblem(reply, problemOf(request, 400, 'invalid-request', `Invalid ${errors.map((e) => e.field).join(', ')}`, errors));
    }
    if (error instanceof ZodError) {
      const errors = error.issues.map((i) => ({ field: fieldOf(i.path, 'body'), message: i.message }));
      return sendProblem(reply, problemOf(request, 400, 'invalid-request', `Invalid ${errors.map((e) => e.field).join(', ')}`, errors));
    }
    switch (error.name) {
      case 'ValidationError':
        return sendProblem(reply, problemOf(request, 400, 'invalid-request', error.message));
      case 'NotFoundError':
        return sendProblem(reply, problemOf(request, 404, 'not-found', error.message));
      case 'PolicyViolationError':
        return sendProblem(reply, problemOf(request, 409, 'policy-violation', error.message));
    }
    const pg = error as PgError;
    if (pg.code === '23505') return sendProblem(reply, problemOf(request, 409, 'conflict', 'A record with these values already exists'));
    // A reference to a row that does not exist — or belongs to another organisation: the same answer for both.
    if (pg.code === '23503') return sendProblem(reply, problemOf(request, 400, 'invalid-reference', 'A referenced record does not exist'));
    if (pg.code === '23514' || pg.code === '22P02' || pg.code === '22007' || pg.code === '22008') {
      return sendProblem(reply, problemOf(request, 400, 'invalid-request', 'The values break a rule of the data model'));
    }
    if (pg.code === '42501') return sendProblem(reply, problemOf(request, 403, 'forbidden', 'Your role does not allow this'));
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return sendProblem(reply, problemOf(request, 500, 'internal', 'Something went wrong on our side; the request id identifies it in our logs'));
    }
    return sendProblem(reply, problemOf(request, status, 'http-error', error.message));
  });
});
