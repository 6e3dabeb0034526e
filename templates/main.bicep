// Azure resources for the winston and pino Logs Ingestion transports:
//   - the custom table AppLogs_CL (default record columns) in an existing Log Analytics workspace,
//   - a data collection rule (DCR) whose stream Custom-AppLogs matches the default record,
//     kind Direct with its own logs-ingestion endpoint, or (useDataCollectionEndpoint=true)
//     sending through a data collection endpoint (DCE),
//   - the Monitoring Metrics Publisher role on the DCR for the identity that sends logs.
// Outputs are the three AZURE_LOGS_INGESTION_* environment variables the transports read.
// The same DCR, as Azure exports it, is templates/dcr.json: the emulator loads it in tests, so
// this template and the transports' default record cannot drift apart.
//
// Deploy: az deployment group create -g <rg> -f templates/main.bicep \
//   -p workspaceName=<workspace> principalId=<managed identity principal id>

targetScope = 'resourceGroup'

@description('Name of an existing Log Analytics workspace in this resource group.')
param workspaceName string

@description('Region of the DCR and DCE. Must be the region of the workspace.')
param location string = resourceGroup().location

@description('Name of the data collection rule.')
param dcrName string = 'dcr-applogs'

@description('Send through a data collection endpoint (needed for private links) instead of the DCR\'s own endpoint.')
param useDataCollectionEndpoint bool = false

@description('Name of the data collection endpoint (only when useDataCollectionEndpoint is true).')
param dceName string = 'dce-applogs'

@description('Object (principal) id of the managed identity or service principal that sends logs. Empty: no role assignment.')
param principalId string = ''

@description('Type of that principal: ServicePrincipal for managed identities and app registrations.')
@allowed([
  'ServicePrincipal'
  'User'
  'Group'
])
param principalType string = 'ServicePrincipal'

@description('Interactive retention of the table in days (4 to 730); -1 uses the workspace default.')
param retentionInDays int = -1

var tableName = 'AppLogs_CL'
var streamName = 'Custom-AppLogs'
var destinationName = 'workspace'
// Monitoring Metrics Publisher: grants Microsoft.Insights/Telemetry/Write, which the
// Logs Ingestion API checks on the DCR.
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

// The default record of the transports (see azure-ingestion-core's toDefaultRecord).
// Table and stream share the column list: the transformation is `source`, so every column
// the client sends must exist in both.
var columns = [
  {
    name: 'TimeGenerated'
    type: 'datetime'
  }
  {
    name: 'Level'
    type: 'string'
  }
  {
    name: 'SeverityNumber'
    type: 'int'
  }
  {
    name: 'Message'
    type: 'string'
  }
  {
    name: 'Exception'
    type: 'dynamic'
  }
  {
    name: 'TraceId'
    type: 'string'
  }
  {
    name: 'SpanId'
    type: 'string'
  }
  {
    name: 'Host'
    type: 'string'
  }
  {
    name: 'Properties'
    type: 'dynamic'
  }
  {
    name: 'RecordId'
    type: 'string'
  }
]

resource workspace 'Microsoft.OperationalInsights/workspaces@2022-10-01' existing = {
  name: workspaceName
}

resource table 'Microsoft.OperationalInsights/workspaces/tables@2022-10-01' = {
  parent: workspace
  name: tableName
  properties: {
    plan: 'Analytics'
    retentionInDays: retentionInDays
    schema: {
      name: tableName
      columns: columns
    }
  }
}

resource dce 'Microsoft.Insights/dataCollectionEndpoints@2023-03-11' = if (useDataCollectionEndpoint) {
  name: dceName
  location: location
  properties: {
    networkAcls: {
      publicNetworkAccess: 'Enabled'
    }
  }
}

resource dcr 'Microsoft.Insights/dataCollectionRules@2023-03-11' = {
  name: dcrName
  location: location
  // A Direct DCR gets its own ingestion endpoint (properties.endpoints.logsIngestion);
  // with a DCE the kind is left out and the DCE's endpoint is used instead.
  kind: useDataCollectionEndpoint ? null : 'Direct'
  properties: {
    description: 'Application logs sent by the winston and pino transports (default record).'
    dataCollectionEndpointId: useDataCollectionEndpoint ? dce.id : null
    streamDeclarations: {
      '${streamName}': {
        columns: columns
      }
    }
    destinations: {
      logAnalytics: [
        {
          name: destinationName
          workspaceResourceId: workspace.id
        }
      ]
    }
    dataFlows: [
      {
        streams: [
          streamName
        ]
        destinations: [
          destinationName
        ]
        transformKql: 'source'
        outputStream: 'Custom-${tableName}'
      }
    ]
  }
  // The output stream must exist when the DCR is validated.
  dependsOn: [
    table
  ]
}

resource publisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(principalId)) {
  name: guid(dcr.id, principalId, monitoringMetricsPublisher)
  scope: dcr
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
    principalId: principalId
    principalType: principalType
  }
}

output AZURE_LOGS_INGESTION_ENDPOINT string = useDataCollectionEndpoint ? dce!.properties.logsIngestion.endpoint : dcr.properties.endpoints.logsIngestion
output AZURE_LOGS_INGESTION_RULE_ID string = dcr.properties.immutableId
output AZURE_LOGS_INGESTION_STREAM string = streamName
