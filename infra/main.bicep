// Semantic search on Azure Functions: everything `azd up` deploys. Subscription scope, so one deployment creates
// the resource group too and `azd down` removes everything with it. No key or connection string with a key is
// created or handed out: the app reaches every service through its user-assigned managed identity.
targetScope = 'subscription'

import { principalKind, resourceNames, roleAssignment } from 'types.bicep'

@description('azd environment name; it names the resource group and seeds the unique suffix of every resource name.')
@minLength(1)
@maxLength(64)
param environmentName string

@description('Region of every resource (Flex Consumption must be offered there).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the person deploying (azd passes AZURE_PRINCIPAL_ID); empty grants nobody but the app.')
param principalId string = ''

@description('Kind of that principal; ServicePrincipal when a pipeline deploys.')
param principalType principalKind = 'User'

@description('Overrides of generated resource names.')
param names resourceNames = {}

@description('Azure AI Search pricing tier.')
@allowed([
  'free'
  'basic'
  'standard'
  'standard2'
  'standard3'
  'storage_optimized_l1'
  'storage_optimized_l2'
])
param searchSku string = 'basic'

@description('Azure AI Search replicas.')
@minValue(1)
@maxValue(12)
param searchReplicaCount int = 1

@description('Azure AI Search partitions.')
@minValue(1)
@maxValue(12)
param searchPartitionCount int = 1

@description('Name of the search index the app creates and queries.')
param searchIndexName string = 'semantic-search'

@description('Region of the Azure OpenAI account (where the model and deployment SKU are offered); empty means location.')
param openAiLocation string = ''

@description('Embeddings model.')
param embeddingModelName string = 'text-embedding-3-small'

@description('Embeddings model version.')
param embeddingModelVersion string = '1'

@description('Embeddings deployment SKU: GlobalStandard where the model has a global deployment (processed in any Azure region, the most quota); Standard (regional) or DataZoneStandard where data must stay in the region or zone.')
@allowed([
  'Standard'
  'GlobalStandard'
  'DataZoneStandard'
])
param embeddingDeploymentSkuName string = 'GlobalStandard'

@description('Embeddings deployment capacity, in thousands of tokens per minute (TPM). Every instance gets capacity × 1000 / functionMaximumInstanceCount of it; see infra/README.md, Throughput.')
@minValue(1)
param embeddingDeploymentCapacity int = 150

@description('Dimensions the app requests (text-embedding-3-small: up to 1536; fewer make a smaller index).')
@minValue(1)
@maxValue(3072)
param embeddingDimensions int = 1536

@description('.NET version of the isolated worker on Flex Consumption.')
param dotnetVersion string = '10.0'

@description('Memory of each function app instance in MB.')
@allowed([
  512
  2048
  4096
])
param functionInstanceMemoryMB int = 2048

@description('Maximum number of function app instances, all scale groups together (40 is the lowest Flex Consumption accepts). The embeddings TPM is shared among them.')
@minValue(40)
@maxValue(1000)
param functionMaximumInstanceCount int = 40

@description('Always-ready instances of the http scale group (search and documents API): no cold start, but each is billed all month (about $21 at 2048 MB, see infra/README.md). 0 scales to zero.')
@minValue(0)
@maxValue(1000)
param httpAlwaysReadyInstanceCount int = 0

@description('Blobs or queue messages one instance ingests at the same time (overrides host.json\'s 4 blobs, 12 queue messages): all of them share the instance\'s part of the embeddings TPM.')
@minValue(1)
@maxValue(16)
param ingestionConcurrencyPerInstance int = 2

@description('E-mail address for the alerts (poison queues, embedding throttling, failed documents); empty: the action group has no receiver.')
param alertEmailAddress string = ''

@description('429 answers of the embeddings deployment in 15 minutes above which the throttling alert fires (the SDK retries a few; sustained throttling fails ingestions).')
@minValue(0)
param embeddingThrottlingAlertThreshold int = 10

@description('How long a search answer is served from the result cache (TimeSpan).')
param resultCacheTtl string = '00:05:00'

@description('Default time to live of items in the results container, in seconds (the app may set a shorter one per item).')
@minValue(1)
param resultsTimeToLiveSeconds int = 3600

@description('NCRONTAB schedule (with seconds) of the Reconcile function, which repairs whatever a lost blob event left behind.')
param reconcileSchedule string = '0 */15 * * * *'

@description('Unique, stable suffix of the generated names.')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))

@description('Tags on every resource; azd finds its environment\'s resources by azd-env-name.')
var tags = {
  'azd-env-name': environmentName
}

@description('Service name in azure.yaml.')
var azdServiceName = 'functions'

@description('Blob container of the documents to index.')
var documentsContainerName = 'documents'

@description('Queue that receives BlobDeleted events (RemoveDeletedBlob\'s trigger).')
var deletedEventsQueueName = 'blob-deleted-events'

@description('Queue of the per-blob work Reconcile fans out (one message per blob; a queue trigger does the work).')
var reconcileWorkQueueName = 'reconcile-work'

@description('Blob container where Event Grid dead-letters blob events it could not deliver.')
var deadLetterContainerName = 'event-dead-letters'

@description('Blob container of the per-document lock blobs: concurrent ingestions of one document take a lease on its lock blob (the app creates the blobs).')
var documentLocksContainerName = 'document-locks'

@description('Poison queues of the documents account: the blob trigger\'s, and "<queue>-poison" of each queue trigger.')
var poisonQueueNames = [
  'webjobs-blobtrigger-poison'
  'blob-deleted-events-poison'
  'reconcile-work-poison'
]

@description('Constant parts of the app\'s [LoggerMessage] texts that mean a document failed to index: "Blob {Container}/{BlobName} cannot be indexed and will not be retried until it changes: {Error}", "Ingesting {DocumentId} failed; it will be retried", "Removing {DocumentId} failed; the next pass tries again".')
var failedDocumentMessages = [
  ' cannot be indexed and will not be retried until it changes: '
  ' failed; it will be retried'
  ' failed; the next pass tries again'
]

@description('Tokens per minute each instance may spend on embeddings so that all instances together stay within the deployment\'s capacity.')
var embeddingTokensPerMinutePerInstance = embeddingDeploymentCapacity * 1000 / functionMaximumInstanceCount

@description('Container of the Flex deployment package.')
var deploymentContainerName = 'app-package'

@description('Cosmos database shared by the caches, the document status store and the search index state.')
var cosmosDatabaseName = 'semantic-search'

@description('Cosmos containers: the embedding cache, the shared result cache (expiring), the document status and the search index state (encoder identity and generation).')
var cosmosContainers = {
  embeddings: 'embeddings'
  results: 'results'
  documents: 'documents'
  indexState: 'index-state'
}

@description('Built-in role definition ids.')
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  searchIndexDataContributor: '8ebe5a00-799e-43f5-93ac-243d3dce84a7'
  searchServiceContributor: '7ca78c08-252a-4471-8644-bb5ff32d4ba0'
  cognitiveServicesOpenAIUser: '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

@description('Region of the Azure OpenAI account.')
var effectiveOpenAiLocation = empty(openAiLocation) ? location : openAiLocation

@description('True when the deploying principal also gets data-plane roles.')
var grantDeployer = !empty(principalId)

@description('Resolved resource names.')
var resolvedNames = {
  resourceGroup: names.?resourceGroup ?? 'rg-${environmentName}'
  identity: names.?identity ?? 'id-func-${resourceToken}'
  plan: names.?plan ?? 'plan-${resourceToken}'
  functionApp: names.?functionApp ?? 'func-${resourceToken}'
  documentsStorage: names.?documentsStorage ?? 'st${resourceToken}'
  deploymentStorage: names.?deploymentStorage ?? 'stpkg${resourceToken}'
  cosmos: names.?cosmos ?? 'cosmos-${resourceToken}'
  search: names.?search ?? 'srch-${resourceToken}'
  openAi: names.?openAi ?? 'oai-${resourceToken}'
  logAnalytics: names.?logAnalytics ?? 'log-${resourceToken}'
  applicationInsights: names.?applicationInsights ?? 'appi-${resourceToken}'
  systemTopic: names.?systemTopic ?? 'evgt-${resourceToken}'
  actionGroup: names.?actionGroup ?? 'ag-${resourceToken}'
}

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: resolvedNames.resourceGroup
  location: location
  tags: tags
}

module identity 'core/identity/user-assigned-identity.bicep' = {
  scope: rg
  params: {
    name: resolvedNames.identity
    location: location
    tags: tags
  }
}

@description('Roles of the app\'s identity on the documents account, which is also the Functions host storage.')
var appDocumentsStorageRoles roleAssignment[] = [
  {
    principalId: identity.outputs.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: roles.storageBlobDataOwner
    description: 'Functions host storage (blob trigger receipts, leases, keys) and reading the documents.'
  }
  {
    principalId: identity.outputs.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: roles.storageQueueDataContributor
    description: 'Blob trigger poison queue and the blob-deleted-events and reconcile-work queue triggers (and their poison queues).'
  }
  {
    principalId: identity.outputs.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: roles.storageTableDataContributor
    description: 'Functions host diagnostic events (AZFD0003 without it).'
  }
]

@description('Roles of the deploying principal on the documents account: upload documents, peek at the queue.')
var deployerDocumentsStorageRoles roleAssignment[] = grantDeployer
  ? [
      {
        principalId: principalId
        principalType: principalType
        roleDefinitionId: roles.storageBlobDataContributor
        description: 'Upload and read documents.'
      }
      {
        principalId: principalId
        principalType: principalType
        roleDefinitionId: roles.storageQueueDataContributor
        description: 'Inspect the queues and their poison queues.'
      }
    ]
  : []

module documentsStorage 'core/storage/storage-account.bicep' = {
  scope: rg
  params: {
    name: resolvedNames.documentsStorage
    location: location
    tags: tags
    containers: [
      documentsContainerName
      deadLetterContainerName
      documentLocksContainerName
    ]
    queues: [
      deletedEventsQueueName
      reconcileWorkQueueName
    ]
    roleAssignments: [...appDocumentsStorageRoles, ...deployerDocumentsStorageRoles]
  }
}

module deploymentStorage 'core/storage/storage-account.bicep' = {
  scope: rg
  params: {
    name: resolvedNames.deploymentStorage
    location: location
    tags: tags
    containers: [
      deploymentContainerName
    ]
    queues: []
    roleAssignments: [
      {
        principalId: identity.outputs.principalId
        principalType: 'ServicePrincipal'
        roleDefinitionId: roles.storageBlobDataContributor
        description: 'Flex Consumption reads the deployment package with the app\'s identity.'
      }
    ]
  }
}

module monitoring 'core/monitor/monitoring.bicep' = {
  scope: rg
  params: {
    location: location
    tags: tags
    logAnalyticsName: resolvedNames.logAnalytics
    applicationInsightsName: resolvedNames.applicationInsights
    roleAssignments: [
      {
        principalId: identity.outputs.principalId
        principalType: 'ServicePrincipal'
        roleDefinitionId: roles.monitoringMetricsPublisher
        description: 'Entra ID-authenticated telemetry (local auth is off).'
      }
    ]
  }
}

module cosmos 'core/database/cosmos-serverless.bicep' = {
  scope: rg
  params: {
    name: resolvedNames.cosmos
    location: location
    tags: tags
    databaseName: cosmosDatabaseName
    containers: [
      {
        name: cosmosContainers.embeddings
        defaultTtl: -1
        pointReadsOnly: true
      }
      {
        name: cosmosContainers.results
        defaultTtl: resultsTimeToLiveSeconds
        pointReadsOnly: true
      }
      {
        // Listed whole with a query (GET /api/documents, Reconcile): keeps the service's default indexing.
        name: cosmosContainers.documents
        pointReadsOnly: false
      }
      {
        // One item per index, read by id and replaced with an ETag precondition; it must never expire (no TTL).
        name: cosmosContainers.indexState
        pointReadsOnly: true
      }
    ]
    dataContributorPrincipalIds: [identity.outputs.principalId, ...(grantDeployer ? [principalId] : [])]
  }
}

@description('Search roles: create/update the index (service) and read/write its documents (index data).')
var searchRoleIds = [
  roles.searchServiceContributor
  roles.searchIndexDataContributor
]

module search 'core/search/search-service.bicep' = {
  scope: rg
  params: {
    name: resolvedNames.search
    location: location
    tags: tags
    sku: searchSku
    replicaCount: searchReplicaCount
    partitionCount: searchPartitionCount
    roleAssignments: [
      ...map(searchRoleIds, roleId => {
        principalId: identity.outputs.principalId
        principalType: 'ServicePrincipal'
        roleDefinitionId: roleId
        description: 'The app manages and queries the ${searchIndexName} index.'
      })
      ...(grantDeployer
        ? map(searchRoleIds, roleId => {
            principalId: principalId
            principalType: principalType
            roleDefinitionId: roleId
            description: 'Run the app locally against the cloud index.'
          })
        : [])
    ]
  }
}

module openAi 'core/ai/openai.bicep' = {
  scope: rg
  params: {
    name: resolvedNames.openAi
    location: effectiveOpenAiLocation
    tags: tags
    deploymentName: embeddingModelName
    modelName: embeddingModelName
    modelVersion: embeddingModelVersion
    deploymentSkuName: embeddingDeploymentSkuName
    deploymentCapacity: embeddingDeploymentCapacity
    roleAssignments: [
      {
        principalId: identity.outputs.principalId
        principalType: 'ServicePrincipal'
        roleDefinitionId: roles.cognitiveServicesOpenAIUser
        description: 'The app computes embeddings.'
      }
      ...(grantDeployer
        ? [
            {
              principalId: principalId
              principalType: principalType
              roleDefinitionId: roles.cognitiveServicesOpenAIUser
              description: 'Run the app locally against the cloud encoder.'
            }
          ]
        : [])
    ]
  }
}

module functionApp 'app/function-app.bicep' = {
  scope: rg
  // Names known at compile time keep What-If precise; the dependency is then explicit.
  dependsOn: [
    monitoring
  ]
  params: {
    name: resolvedNames.functionApp
    planName: resolvedNames.plan
    location: location
    tags: tags
    azdServiceName: azdServiceName
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    dotnetVersion: dotnetVersion
    instanceMemoryMB: functionInstanceMemoryMB
    maximumInstanceCount: functionMaximumInstanceCount
    httpAlwaysReadyInstanceCount: httpAlwaysReadyInstanceCount
    ingestionConcurrency: ingestionConcurrencyPerInstance
    deploymentStorageBlobEndpoint: deploymentStorage.outputs.blobEndpoint
    deploymentContainerName: deploymentContainerName
    hostStorageBlobEndpoint: documentsStorage.outputs.blobEndpoint
    hostStorageQueueEndpoint: documentsStorage.outputs.queueEndpoint
    hostStorageTableEndpoint: documentsStorage.outputs.tableEndpoint
    applicationInsightsName: resolvedNames.applicationInsights
    documentsContainerName: documentsContainerName
    reconcileSchedule: reconcileSchedule
    openAiEndpoint: openAi.outputs.endpoint
    embeddingDeploymentName: openAi.outputs.deploymentName
    embeddingModelName: embeddingModelName
    embeddingDimensions: embeddingDimensions
    embeddingTokensPerMinutePerInstance: embeddingTokensPerMinutePerInstance
    cosmosEndpoint: cosmos.outputs.endpoint
    cosmosDatabaseName: cosmosDatabaseName
    embeddingsContainerName: cosmosContainers.embeddings
    resultsContainerName: cosmosContainers.results
    documentStatusContainerName: cosmosContainers.documents
    indexStateContainerName: cosmosContainers.indexState
    resultsTimeToLiveSeconds: resultsTimeToLiveSeconds
    resultCacheTtl: resultCacheTtl
    searchEndpoint: search.outputs.endpoint
    searchIndexName: searchIndexName
  }
}

module eventGrid 'app/event-grid.bicep' = {
  scope: rg
  dependsOn: [
    documentsStorage
  ]
  params: {
    name: resolvedNames.systemTopic
    location: location
    tags: tags
    storageAccountName: resolvedNames.documentsStorage
    documentsContainerName: documentsContainerName
    deletedEventsQueueName: deletedEventsQueueName
    deadLetterContainerName: deadLetterContainerName
  }
}

module alerts 'core/monitor/alerts.bicep' = {
  scope: rg
  dependsOn: [
    monitoring
    documentsStorage
    openAi
  ]
  params: {
    location: location
    tags: tags
    actionGroupName: resolvedNames.actionGroup
    emailAddress: alertEmailAddress
    logAnalyticsName: resolvedNames.logAnalytics
    storageAccountName: resolvedNames.documentsStorage
    poisonQueueNames: poisonQueueNames
    // Names known at compile time (the deployment is named after the model) keep What-If precise.
    openAiAccountName: resolvedNames.openAi
    embeddingDeploymentName: embeddingModelName
    embeddingThrottlingThreshold: embeddingThrottlingAlertThreshold
    failedDocumentMessages: failedDocumentMessages
  }
}

@description('Region of the deployment.')
output AZURE_LOCATION string = location

@description('Tenant of the subscription.')
output AZURE_TENANT_ID string = tenant().tenantId

@description('Resource group holding everything.')
output AZURE_RESOURCE_GROUP string = rg.name

@description('Function app name.')
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name

@description('Function app host name (the API is https://<host>/api/...).')
output AZURE_FUNCTION_APP_HOSTNAME string = functionApp.outputs.defaultHostName

@description('Documents storage account (upload with Entra ID: az storage blob upload --auth-mode login).')
output AZURE_STORAGE_ACCOUNT_NAME string = documentsStorage.outputs.name

@description('Blob endpoint of the documents account.')
output AZURE_STORAGE_BLOB_ENDPOINT string = documentsStorage.outputs.blobEndpoint

@description('Blob container of the documents.')
output DOCUMENTS_CONTAINER_NAME string = documentsContainerName

@description('Event Grid system topic of the documents account (the post-deploy hook subscribes the app to it).')
output AZURE_EVENTGRID_SYSTEM_TOPIC_NAME string = eventGrid.outputs.name

@description('Cosmos DB endpoint.')
output AZURE_COSMOS_ENDPOINT string = cosmos.outputs.endpoint

@description('Azure AI Search endpoint.')
output AZURE_SEARCH_ENDPOINT string = search.outputs.endpoint

@description('Azure OpenAI endpoint.')
output AZURE_OPENAI_ENDPOINT string = openAi.outputs.endpoint

@description('Azure OpenAI embeddings deployment.')
output AZURE_OPENAI_EMBEDDING_DEPLOYMENT string = openAi.outputs.deploymentName

@description('Tokens per minute of the embeddings deployment that one instance may spend (capacity × 1000 / maximum instances).')
output AZURE_OPENAI_EMBEDDING_TPM_PER_INSTANCE int = embeddingTokensPerMinutePerInstance

@description('Resource id of the blob container where Event Grid dead-letters undeliverable blob events (the hook needs it).')
output AZURE_EVENTGRID_DEAD_LETTER_CONTAINER_ID string = eventGrid.outputs.deadLetterContainerId
