// The Functions app on a Flex Consumption plan (Linux, dotnet-isolated), running as a user-assigned identity,
// and its app settings: the application's configuration contract with every Azure backend selected, plus the
// identity-based host settings. No setting holds a key: every connection is a managed-identity one.
import { resourceTags } from '../types.bicep'

@description('Function app name.')
param name string

@description('Flex Consumption plan name.')
param planName string

@description('Region of the plan and the app.')
param location string

@description('Tags applied to the plan and the app (the app also gets azd-service-name).')
param tags resourceTags

@description('Service name in azure.yaml; azd finds the app to deploy to by this tag.')
param azdServiceName string

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity (the host and the SDKs pick the identity by it).')
param identityClientId string

@description('.NET version of the isolated worker (Flex functionAppConfig.runtime.version).')
param dotnetVersion string

@description('Memory of each instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Upper bound of the scale-out, all scale groups together; each instance gets this share of the embeddings TPM.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Always-ready instances of the http scale group (0: scale to zero; each one is billed all month).')
@minValue(0)
@maxValue(1000)
param httpAlwaysReadyInstanceCount int

@description('Blobs (Event Grid blob trigger) and queue messages one instance ingests at the same time; overrides host.json.')
@minValue(1)
@maxValue(16)
param ingestionConcurrency int

@description('Blob endpoint of the deployment storage account.')
param deploymentStorageBlobEndpoint string

@description('Container that holds the deployment package.')
param deploymentContainerName string

@description('Blob endpoint of the documents (host) storage account.')
param hostStorageBlobEndpoint string

@description('Queue endpoint of the documents (host) storage account.')
param hostStorageQueueEndpoint string

@description('Table endpoint of the documents (host) storage account.')
param hostStorageTableEndpoint string

@description('Application Insights component the app reports to.')
param applicationInsightsName string

@description('Blob container the documents are uploaded to.')
param documentsContainerName string

@description('NCRONTAB schedule of the Reconcile function.')
param reconcileSchedule string

@description('Azure OpenAI endpoint.')
param openAiEndpoint string

@description('Azure OpenAI embeddings deployment name.')
param embeddingDeploymentName string

@description('Model the embeddings deployment runs: it names the vectors in the index state and the embedding cache keys.')
param embeddingModelName string

@description('Dimensions of the embeddings the app asks for.')
param embeddingDimensions int

@description('Tokens per minute this instance may spend on embeddings: the deployment capacity split over the maximum instance count.')
@minValue(1)
param embeddingTokensPerMinutePerInstance int

@description('Cosmos DB document endpoint.')
param cosmosEndpoint string

@description('Cosmos DB database.')
param cosmosDatabaseName string

@description('Cosmos container of the embedding cache.')
param embeddingsContainerName string

@description('Cosmos container of the shared result cache.')
param resultsContainerName string

@description('Cosmos container of the documents\' ingestion status.')
param documentStatusContainerName string

@description('Cosmos container of the search index state (encoder identity and generation).')
param indexStateContainerName string

@description('Default time to live of the results container, in seconds.')
param resultsTimeToLiveSeconds int

@description('How long a search answer is served from the result cache (TimeSpan, e.g. 00:05:00).')
param resultCacheTtl string

@description('Azure AI Search endpoint.')
param searchEndpoint string

@description('Azure AI Search index name.')
param searchIndexName string

@description('Formats whole seconds as a .NET TimeSpan string (d.hh:mm:ss), the form the app binds.')
func timeSpan(seconds int) string =>
  '${seconds / 86400}.${padLeft(seconds % 86400 / 3600, 2, '0')}:${padLeft(seconds % 3600 / 60, 2, '0')}:${padLeft(seconds % 60, 2, '0')}'

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': azdServiceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${deploymentStorageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      runtime: {
        name: 'dotnet-isolated'
        version: dotnetVersion
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        // Only the http group (search, documents, health): ingestion may wait for a cold start, a caller should not.
        alwaysReady: httpAlwaysReadyInstanceCount > 0
          ? [
              {
                name: 'http'
                instanceCount: httpAlwaysReadyInstanceCount
              }
            ]
          : []
      }
    }
  }
}

// Publishing with user/password credentials is off; azd and the CLI deploy with Entra ID tokens.
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

// Names use '__' for ':' (Linux app settings cannot hold ':'). Every name here is checked by
// tests/SemanticSearch.Infra.Tests against the application's configuration contract.
resource appSettings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: site
  name: 'appsettings'
  properties: {
    // Functions host storage = the documents account, through the app's identity.
    AzureWebJobsStorage__blobServiceUri: hostStorageBlobEndpoint
    AzureWebJobsStorage__queueServiceUri: hostStorageQueueEndpoint
    AzureWebJobsStorage__tableServiceUri: hostStorageTableEndpoint
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId

    // The connection string holds only the instrumentation key (not a secret); the component accepts
    // telemetry only with an Entra ID token of this identity (local auth is off).
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'

    // Azure.Identity's DefaultAzureCredential picks the user-assigned identity by this (Cosmos, Search, OpenAI clients).
    AZURE_CLIENT_ID: identityClientId

    // Per-instance ingestion concurrency, overriding host.json (blobs.maxDegreeOfParallelism 4, queues 8 + 4): every
    // concurrent ingestion waits for the same per-instance share of the embeddings TPM (see infra/README.md,
    // "Throughput"). The queue split mirrors what the blob extension does with maxDegreeOfParallelism.
    AzureFunctionsJobHost__extensions__blobs__maxDegreeOfParallelism: string(ingestionConcurrency)
    AzureFunctionsJobHost__extensions__queues__batchSize: string(ingestionConcurrency / 2 + 1)
    AzureFunctionsJobHost__extensions__queues__newBatchThreshold: string(ingestionConcurrency - (ingestionConcurrency / 2 + 1))

    // The host resolves %Documents:Container% and %Reconcile:Schedule% in the trigger attributes from these.
    Documents__Container: documentsContainerName
    Reconcile__Schedule: reconcileSchedule

    Encoder__Provider: 'AzureOpenAI'
    Encoder__AzureOpenAI__Endpoint: openAiEndpoint
    Encoder__AzureOpenAI__Deployment: embeddingDeploymentName
    Encoder__AzureOpenAI__Model: embeddingModelName
    Encoder__AzureOpenAI__Dimensions: string(embeddingDimensions)
    // Each instance waits for its share of the deployment's tokens a minute instead of meeting 429s, and a request is
    // at most a quarter of that share (floor 256, the app's minimum; ceiling 8,192): the service evaluates its limits
    // over windows of seconds, so a minute's budget in one request can meet a 429 on its own, and two concurrent
    // ingestions on an instance each get a request through every ~15 s instead of one waiting a whole minute.
    Encoder__AzureOpenAI__TokensPerMinute: string(embeddingTokensPerMinutePerInstance)
    Encoder__AzureOpenAI__MaxTokensPerRequest: string(max(256, min(8192, embeddingTokensPerMinutePerInstance / 4)))

    // Databases and containers are created by this template: the data-plane role cannot create them.
    EmbeddingCache__Provider: 'Cosmos'
    EmbeddingCache__Cosmos__Endpoint: cosmosEndpoint
    EmbeddingCache__Cosmos__Database: cosmosDatabaseName
    EmbeddingCache__Cosmos__Container: embeddingsContainerName
    EmbeddingCache__Cosmos__CreateIfMissing: 'false'

    Index__Provider: 'AzureAISearch'
    Index__AzureAISearch__Endpoint: searchEndpoint
    Index__AzureAISearch__IndexName: searchIndexName
    // Required with AzureAISearch: the index's encoder identity and generation, shared by every instance.
    Index__AzureAISearch__State__Endpoint: cosmosEndpoint
    Index__AzureAISearch__State__Database: cosmosDatabaseName
    Index__AzureAISearch__State__Container: indexStateContainerName
    Index__AzureAISearch__State__CreateIfMissing: 'false'

    ResultCache__Provider: 'Cosmos'
    ResultCache__Ttl: resultCacheTtl
    ResultCache__Cosmos__Endpoint: cosmosEndpoint
    ResultCache__Cosmos__Database: cosmosDatabaseName
    ResultCache__Cosmos__Container: resultsContainerName
    ResultCache__Cosmos__CreateIfMissing: 'false'
    ResultCache__Cosmos__TimeToLive: timeSpan(resultsTimeToLiveSeconds)

    DocumentStatus__Provider: 'Cosmos'
    DocumentStatus__Cosmos__Endpoint: cosmosEndpoint
    DocumentStatus__Cosmos__Database: cosmosDatabaseName
    DocumentStatus__Cosmos__Container: documentStatusContainerName
    DocumentStatus__Cosmos__CreateIfMissing: 'false'
  }
}

@description('Function app name.')
output name string = site.name

@description('Default host name of the app (Flex apps may get a regional, hashed one).')
output defaultHostName string = site.properties.defaultHostName
