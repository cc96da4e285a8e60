// Azure Monitor alerts on what goes wrong first in this app, all sent to one action group (e-mail optional):
//  - a message lands in a poison queue (the blob trigger's, or "<queue>-poison" of a queue trigger): log search alert on
//    the documents account's queue resource logs (StorageQueueLogs), which this module turns on;
//  - the embeddings deployment answers 429: metric alert on AzureOpenAIRequests split by StatusCode;
//  - documents fail to index: log search alert on the app's own log messages (AppTraces, AppExceptions).
// The log search rules query with their own system-assigned identity, which may only read the workspace.
import { resourceTags } from '../../types.bicep'

@description('Region of the log search alert rules (that of the workspace).')
param location string

@description('Tags applied to every resource.')
param tags resourceTags

@description('Action group name.')
param actionGroupName string

@description('E-mail address that receives the alerts; empty creates the action group without a receiver (add one later).')
param emailAddress string

@description('Log Analytics workspace that holds the app\'s telemetry and the queue resource logs.')
param logAnalyticsName string

@description('Documents (and Functions host) storage account whose queues are watched.')
param storageAccountName string

@description('Poison queues to watch in that account: a message in any of them is an alert.')
param poisonQueueNames string[]

@description('Azure OpenAI account of the embeddings deployment.')
param openAiAccountName string

@description('Embeddings deployment whose 429 answers are counted.')
param embeddingDeploymentName string

@description('429 answers of the embeddings deployment in 15 minutes above which the throttling alert fires.')
@minValue(0)
param embeddingThrottlingThreshold int

@description('Constant parts of the app\'s log messages that mean a document failed to index (see functions/**/[LoggerMessage]).')
param failedDocumentMessages string[]

@description('Built-in role "Log Analytics Reader": the log search rules query the workspace with their own identity.')
var logAnalyticsReaderRoleId = '73c42c96-874c-492b-b04d-ab87d138a893'

@description('KQL list literal of the watched poison queues.')
var poisonQueueList = join(map(poisonQueueNames, queue => '"${queue}"'), ', ')

@description('KQL condition that is true for a message that says a document failed to index.')
var failedDocumentCondition = join(map(failedDocumentMessages, message => 'Text contains "${message}"'), ' or ')

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-07-01' existing = {
  name: logAnalyticsName
}

resource storageAccount 'Microsoft.Storage/storageAccounts@2025-08-01' existing = {
  name: storageAccountName

  resource queueService 'queueServices' existing = {
    name: 'default'
  }
}

resource openAiAccount 'Microsoft.CognitiveServices/accounts@2025-06-01' existing = {
  name: openAiAccountName
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: actionGroupName
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'semsearch'
    enabled: true
    emailReceivers: empty(emailAddress)
      ? []
      : [
          {
            name: 'operator'
            emailAddress: emailAddress
            useCommonAlertSchema: true
          }
        ]
  }
}

// Queue writes only (PutMessage, which is how the host moves a message to a poison queue): the reads and deletes of
// a polling host are most of the queue traffic and are not collected. Storage takes no keys here: resource logs
// are the only way an alert can see into a queue of an Entra ID-only account (the queue metrics have no per-queue
// dimension).
// 2021-05-01-preview is the newest version of this type and has no stable successor; the linter suggests
// 2016-09-01, which in the bundled types describes the subscription-level 'service' setting, not a resource's.
#disable-next-line use-recent-api-versions
resource queueDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'queue-writes-to-log-analytics'
  scope: storageAccount::queueService
  properties: {
    workspaceId: workspace.id
    logs: [
      {
        category: 'StorageWrite'
        enabled: true
      }
    ]
  }
}

resource poisonQueueAlert 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = {
  name: 'poison-queue-messages'
  location: location
  tags: tags
  kind: 'LogAlert'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    displayName: 'Messages moved to a poison queue'
    description: 'A message was added to ${join(poisonQueueNames, ', ')} in ${storageAccountName}: the host gave up on it after maxDequeueCount attempts (blob trigger: poisonBlobThreshold). Peek with az storage message peek --auth-mode login --account-name ${storageAccountName} --queue-name <queue>; fix the cause, then move the message back to its queue (the blob trigger\'s: re-upload the blob, or let Reconcile pick it up).'
    severity: 1
    enabled: true
    scopes: [
      workspace.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: 'StorageQueueLogs\n| where OperationName == "PutMessage" and StatusText == "Success"\n| extend Queue = tostring(split(tostring(parse_url(Uri).Path), "/")[1])\n| where Queue in (${poisonQueueList})\n| summarize Messages = count() by Queue'
          timeAggregation: 'Total'
          metricMeasureColumn: 'Messages'
          dimensions: [
            {
              name: 'Queue'
              operator: 'Include'
              values: [
                '*'
              ]
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: [
        actionGroup.id
      ]
    }
  }
}

resource embeddingThrottlingAlert 'Microsoft.Insights/metricAlerts@2026-01-01' = {
  name: 'embedding-throttling'
  location: 'global'
  tags: tags
  properties: {
    description: 'The ${embeddingDeploymentName} deployment of ${openAiAccountName} answered more than ${embeddingThrottlingThreshold} requests with 429 in 15 minutes: its tokens-per-minute capacity is below what the app asks for. The SDK retries 429s, but sustained throttling fails ingestions until their blobs reach the poison queue. Raise embeddingDeploymentCapacity, or lower functionMaximumInstanceCount or ingestionConcurrencyPerInstance (infra/README.md, Throughput).'
    severity: 2
    enabled: true
    scopes: [
      openAiAccount.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'throttled-embedding-requests'
          metricNamespace: 'Microsoft.CognitiveServices/accounts'
          metricName: 'AzureOpenAIRequests'
          dimensions: [
            {
              name: 'StatusCode'
              operator: 'Include'
              values: [
                '429'
              ]
            }
            {
              name: 'ModelDeploymentName'
              operator: 'Include'
              values: [
                embeddingDeploymentName
              ]
            }
          ]
          operator: 'GreaterThan'
          threshold: embeddingThrottlingThreshold
          timeAggregation: 'Total'
        }
      ]
    }
    autoMitigate: true
    actions: [
      {
        actionGroupId: actionGroup.id
      }
    ]
  }
}

// The isolated worker sends its ILogger output to Application Insights itself: a warning or error without an
// exception becomes a trace (AppTraces.Message), one with an exception becomes an exception (AppExceptions) whose
// rendered message is one of its Properties. The rule looks for constant parts of the messages in the message and in
// every property, so it does not depend on how the logger provider names those properties.
resource failedDocumentsAlert 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = {
  name: 'failed-documents'
  location: location
  tags: tags
  kind: 'LogAlert'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    displayName: 'Documents failed to index'
    description: 'The app logged that documents could not be indexed (rejected, or an ingestion failed and will be retried). GET /api/documents lists each document\'s status and error.'
    severity: 2
    enabled: true
    scopes: [
      workspace.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: 'union isfuzzy=true AppTraces, AppExceptions\n| extend Text = strcat(column_ifexists("Message", ""), " ", tostring(Properties))\n| where ${failedDocumentCondition}\n| summarize Failures = count() by AppRoleName'
          timeAggregation: 'Total'
          metricMeasureColumn: 'Failures'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: [
        actionGroup.id
      ]
    }
  }
}

resource poisonQueueAlertReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(workspace.id, poisonQueueAlert.id, logAnalyticsReaderRoleId)
  scope: workspace
  properties: {
    principalId: poisonQueueAlert.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', logAnalyticsReaderRoleId)
    description: 'The ${poisonQueueAlert.name} alert rule queries the queue resource logs with its own identity.'
  }
}

resource failedDocumentsAlertReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(workspace.id, failedDocumentsAlert.id, logAnalyticsReaderRoleId)
  scope: workspace
  properties: {
    principalId: failedDocumentsAlert.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', logAnalyticsReaderRoleId)
    description: 'The ${failedDocumentsAlert.name} alert rule queries the app\'s telemetry with its own identity.'
  }
}
