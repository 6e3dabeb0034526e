/** A DCR with a custom stream, for records built by `toRecord`. */
export const AUDIT_RULE_ID = 'dcr-0123456789abcdef0123456789abcdef';

export const AUDIT_DCR = {
  name: 'dcr-audit',
  type: 'Microsoft.Insights/dataCollectionRules',
  location: 'westeurope',
  kind: 'Direct',
  properties: {
    immutableId: AUDIT_RULE_ID,
    streamDeclarations: {
      'Custom-Audit': {
        columns: [
          { name: 'TimeGenerated', type: 'datetime' },
          { name: 'Actor', type: 'string' },
          { name: 'Action', type: 'string' },
        ],
      },
    },
    destinations: {
      logAnalytics: [{ name: 'law', workspaceId: '00000000-0000-0000-0000-000000000000' }],
    },
    dataFlows: [
      {
        streams: ['Custom-Audit'],
        destinations: ['law'],
        transformKql: 'source',
        outputStream: 'Custom-Audit_CL',
      },
    ],
  },
};
