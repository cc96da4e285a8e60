// Azure OpenAI account with API keys off and one embeddings deployment. The custom subdomain is required
// for Entra ID authentication; callers need the "Cognitive Services OpenAI User" role.
import { resourceTags, roleAssignment } from '../../types.bicep'

@description('Account name, also its custom subdomain (globally unique).')
@minLength(2)
@maxLength(64)
param name string

@description('Region of the account; pick one where the embeddings model and deployment SKU are offered.')
param location string

@description('Tags applied to the account.')
param tags resourceTags

@description('Name of the embeddings deployment (what the app sends as the deployment).')
param deploymentName string

@description('Embeddings model name.')
param modelName string

@description('Embeddings model version.')
param modelVersion string

@description('Deployment SKU: Standard (regional), GlobalStandard or DataZoneStandard.')
@allowed([
  'Standard'
  'GlobalStandard'
  'DataZoneStandard'
])
param deploymentSkuName string

@description('Deployment capacity in thousands of tokens per minute.')
@minValue(1)
param deploymentCapacity int

@description('Roles granted on the account.')
param roleAssignments roleAssignment[]

resource account 'Microsoft.CognitiveServices/accounts@2025-06-01' = {
  name: name
  location: location
  tags: tags
  kind: 'OpenAI'
  sku: {
    name: 'S0'
  }
  properties: {
    customSubDomainName: name
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
    }
  }
}

resource embeddings 'Microsoft.CognitiveServices/accounts/deployments@2025-06-01' = {
  parent: account
  name: deploymentName
  sku: {
    name: deploymentSkuName
    capacity: deploymentCapacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: modelName
      version: modelVersion
    }
  }
}

resource accountRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for assignment in roleAssignments: {
    name: guid(account.id, assignment.principalId, assignment.roleDefinitionId)
    scope: account
    properties: {
      principalId: assignment.principalId
      principalType: assignment.principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', assignment.roleDefinitionId)
      description: assignment.description
    }
  }
]

@description('Account name.')
output name string = account.name

@description('Endpoint, e.g. https://<name>.openai.azure.com/.')
output endpoint string = account.properties.endpoint

@description('Name of the embeddings deployment.')
output deploymentName string = embeddings.name
