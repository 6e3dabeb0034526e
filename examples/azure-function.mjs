// @ts-check
/**
 * Azure Functions (Node.js v4 programming model): an HTTP trigger logging with winston, and a
 * postInvocation hook that delivers the invocation's logs before the host considers it done
 * (instances are frozen between invocations; an unsent batch would wait, or be lost).
 *
 * Set the AZURE_LOGS_INGESTION_* app settings and give the function app's managed identity the
 * Monitoring Metrics Publisher role on the DCR (templates/main.bicep does it).
 */
import { app } from '@azure/functions';
import { azureFunctionsFlushHook } from 'azure-ingestion-core';
import winston from 'winston';
import { AzureIngestionTransport } from 'winston-transport-azure-ingestion';

// Created once per worker, reused across invocations.
export const transport = new AzureIngestionTransport();
const logger = winston.createLogger({ defaultMeta: { app: 'greetings' }, transports: [transport] });

/**
 * @param {import('@azure/functions').HttpRequest} request
 * @param {import('@azure/functions').InvocationContext} context
 * @returns {Promise<import('@azure/functions').HttpResponseInit>}
 */
export async function hello(request, context) {
  const name = request.query.get('name') ?? 'world';
  logger.info('greeting', { name, invocationId: context.invocationId });
  if (name === 'error') {
    logger.error('refusing to greet', {
      error: new Error('bad name'),
      invocationId: context.invocationId,
    });
    return { status: 400, jsonBody: { error: 'bad name' } };
  }
  return { status: 200, jsonBody: { greeting: `Hello, ${name}!` } };
}

app.http('hello', { methods: ['GET'], authLevel: 'anonymous', handler: hello });

// After every invocation (and once at shutdown): flush. A flush problem never fails the invocation.
export const flushing = azureFunctionsFlushHook(app, transport);
