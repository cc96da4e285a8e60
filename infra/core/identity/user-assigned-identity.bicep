// The user-assigned managed identity the function app runs as (host storage, deployment package, every data plane).
import { resourceTags } from '../../types.bicep'

@description('Identity name.')
param name string

@description('Region of the identity.')
param location string

@description('Tags applied to the identity.')
param tags resourceTags

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

@description('Resource id of the identity.')
output id string = identity.id

@description('Object (principal) id, used in role assignments.')
output principalId string = identity.properties.principalId

@description('Client (application) id, used by the app to pick this identity.')
output clientId string = identity.properties.clientId
