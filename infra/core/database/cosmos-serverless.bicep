// Serverless Cosmos DB for NoSQL with key auth off: data-plane access only through Entra ID and the
// built-in data-plane roles (sqlRoleAssignments), which cannot create databases or containers, so they are created here.
import { cosmosContainer, resourceTags } from '../../types.bicep'

@description('Account name (3-44 lowercase letters, digits and hyphens, globally unique).')
@minLength(3)
@maxLength(44)
param name string

@description('Region of the account (single region).')
param location string

@description('Tags applied to the account.')
param tags resourceTags

@description('Database name.')
param databaseName string

@description('Containers of the database, all partitioned by /id.')
param containers cosmosContainer[]

@description('Principals (object ids) given the built-in data contributor role on the database.')
param dataContributorPrincipalIds string[]

@description('Id of the built-in "Cosmos DB Built-in Data Contributor" data-plane role.')
var builtInDataContributorRoleId = '00000000-0000-0000-0000-000000000002'

@description('Indexing policy of point-read-only containers: nothing indexed.')
var noIndexing = {
  indexingMode: 'consistent'
  automatic: true
  includedPaths: []
  excludedPaths: [
    {
      path: '/*'
    }
  ]
}

@description('Indexing policy of queried containers: the service default (everything).')
var defaultIndexing = {
  indexingMode: 'consistent'
  automatic: true
  includedPaths: [
    {
      path: '/*'
    }
  ]
  excludedPaths: [
    {
      path: '/"_etag"/?'
    }
  ]
}

resource account 'Microsoft.DocumentDB/databaseAccounts@2025-10-15' = {
  name: name
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    capabilities: [
      {
        name: 'EnableServerless'
      }
    ]
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2025-10-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
  }
}

resource databaseContainers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-10-15' = [
  for container in containers: {
    parent: database
    name: container.name
    properties: {
      resource: {
        id: container.name
        partitionKey: {
          paths: [
            '/id'
          ]
          kind: 'Hash'
          version: 2
        }
        defaultTtl: container.?defaultTtl
        indexingPolicy: container.pointReadsOnly ? noIndexing : defaultIndexing
      }
    }
  }
]

resource dataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleDefinitions@2025-10-15' existing = {
  parent: account
  name: builtInDataContributorRoleId
}

resource dataRoles 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2025-10-15' = [
  for principalId in dataContributorPrincipalIds: {
    parent: account
    name: guid(account.id, database.id, principalId, builtInDataContributorRoleId)
    properties: {
      principalId: principalId
      roleDefinitionId: dataContributor.id
      // The data-plane scope format (/dbs/<name>), not the ARM id of the sqlDatabases resource.
      scope: '${account.id}/dbs/${database.name}'
    }
  }
]

@description('Account name.')
output name string = account.name

@description('Document endpoint, e.g. https://<name>.documents.azure.com:443/.')
output endpoint string = account.properties.documentEndpoint
