// @ts-check
/**
 * AWS Lambda (Node.js runtime) with pino: `withFlush` delivers the invocation's logs before the
 * handler's promise settles, so nothing waits in a buffer while Lambda freezes the environment.
 *
 * Lambda is not an Azure identity: give the function a service principal (AZURE_TENANT_ID,
 * AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, or workload identity federation) with the Monitoring
 * Metrics Publisher role on the DCR, plus the AZURE_LOGS_INGESTION_* variables.
 */
import { withFlush } from 'azure-ingestion-core';
import pino from 'pino';

// Created at cold start, reused by warm invocations. The transport runs in a worker thread.
export const logger = pino({
  base: { fn: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'local' },
  transport: { target: 'pino-azure-ingestion', options: {} },
});

/**
 * @param {import('aws-lambda').APIGatewayProxyEventV2} event
 * @param {import('aws-lambda').Context} context
 * @returns {Promise<import('aws-lambda').APIGatewayProxyResultV2>}
 */
async function handle(event, context) {
  const log = logger.child({ awsRequestId: context.awsRequestId });
  log.info({ path: event.rawPath }, 'event received');
  const body = event.body ? JSON.parse(event.body) : {};
  if (!Array.isArray(body.items)) {
    log.warn('no items in the order');
    return { statusCode: 400, body: JSON.stringify({ error: 'items required' }) };
  }
  log.info({ items: body.items.length }, 'order accepted');
  return { statusCode: 202, body: JSON.stringify({ accepted: body.items.length }) };
}

// The handler Lambda calls: the result is returned once the logs are acknowledged.
export const handler = withFlush(handle, logger);
