/**
 * The default data collection rule: what the core's default record looks like on the wire.
 * It is the ARM resource JSON as the portal's "Export template" / `az monitor data-collection
 * rule show` gives it, so the same file shape loads here and deploys to Azure.
 */

/** The input stream of the default DCR (the core's default record). */
export const DEFAULT_STREAM = 'Custom-AppLogs';
/** The table the default DCR writes to. */
export const DEFAULT_TABLE = 'AppLogs_CL';
/** The immutable id of the default DCR (`dcr-` + 32 lowercase hex, fixed so URLs are stable). */
export const DEFAULT_RULE_ID = 'dcr-7f3c2a91e05b4d6c8a1f9e2b3c4d5e6f';

/** The default record's columns: the default stream and table share them. */
const COLUMNS = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'Level', type: 'string' },
  { name: 'SeverityNumber', type: 'int' },
  { name: 'Message', type: 'string' },
  { name: 'Exception', type: 'dynamic' },
  { name: 'TraceId', type: 'string' },
  { name: 'SpanId', type: 'string' },
  { name: 'Host', type: 'string' },
  { name: 'Properties', type: 'dynamic' },
  { name: 'RecordId', type: 'string' },
] as const;

/**
 * The table of the default DCR, as an ARM `Microsoft.OperationalInsights/workspaces/tables`
 * resource (what templates/azuredeploy.json deploys): the default DCR's output is checked
 * against it.
 */
export const DEFAULT_TABLE_DEFINITION = {
  type: 'Microsoft.OperationalInsights/workspaces/tables',
  apiVersion: '2022-10-01',
  name: `law-logs/${DEFAULT_TABLE}`,
  properties: { plan: 'Analytics', schema: { name: DEFAULT_TABLE, columns: COLUMNS } },
} as const;

/** ARM JSON of the default DCR (`Microsoft.Insights/dataCollectionRules`, kind Direct). */
export const DEFAULT_DCR = {
  id: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-logs/providers/Microsoft.Insights/dataCollectionRules/dcr-applogs',
  name: 'dcr-applogs',
  type: 'Microsoft.Insights/dataCollectionRules',
  location: 'westeurope',
  kind: 'Direct',
  properties: {
    immutableId: DEFAULT_RULE_ID,
    description: 'Application logs sent by the winston and pino transports (default record).',
    endpoints: {
      logsIngestion: 'https://dcr-applogs-a1b2-westeurope.logs.z1.ingest.monitor.azure.com',
    },
    streamDeclarations: {
      [DEFAULT_STREAM]: { columns: COLUMNS },
    },
    destinations: {
      logAnalytics: [
        {
          workspaceResourceId:
            '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/law-logs',
          workspaceId: '00000000-0000-0000-0000-000000000000',
          name: 'law-logs',
        },
      ],
    },
    dataFlows: [
      {
        streams: [DEFAULT_STREAM],
        destinations: ['law-logs'],
        transformKql: 'source',
        outputStream: `Custom-${DEFAULT_TABLE}`,
      },
    ],
    provisioningState: 'Succeeded',
  },
} as const;
