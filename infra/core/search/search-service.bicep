// Azure AI Search with API keys off (disableLocalAuth): only Entra ID tokens with RBAC roles are accepted.
// authOptions (aadOrApiKey) must be left out: the service rejects it together with disableLocalAuth = true.
import { resourceTags, roleAssignment } from '../../types.bicep'

@description('Service name (2-60 lowercase letters, digits and hyphens, globally unique).')
@minLength(2)
@maxLength(60)
param name string

@description('Region of the service.')
param location string

@description('Tags applied to the service.')
param tags resourceTags

@description('Pricing tier; free allows one service per subscription and lacks some features.')
@allowed([
  'free'
  'basic'
  'standard'
  'standard2'
  'standard3'
  'storage_optimized_l1'
  'storage_optimized_l2'
])
param sku string

@description('Replicas (1 has no read SLA; 2 for read, 3 for read-write SLA).')
@minValue(1)
@maxValue(12)
param replicaCount int

@description('Partitions (storage and indexing throughput).')
@minValue(1)
@maxValue(12)
param partitionCount int

@description('Roles granted on the service.')
param roleAssignments roleAssignment[]

resource search 'Microsoft.Search/searchServices@2025-05-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: sku
  }
  properties: {
    replicaCount: replicaCount
    partitionCount: partitionCount
    hostingMode: 'Default'
    publicNetworkAccess: 'enabled'
    disableLocalAuth: true
  }
}

resource serviceRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for assignment in roleAssignments: {
    name: guid(search.id, assignment.principalId, assignment.roleDefinitionId)
    scope: search
    properties: {
      principalId: assignment.principalId
      principalType: assignment.principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', assignment.roleDefinitionId)
      description: assignment.description
    }
  }
]

@description('Service name.')
output name string = search.name

@description('Service endpoint, e.g. https://<name>.search.windows.net.')
output endpoint string = search.properties.endpoint
