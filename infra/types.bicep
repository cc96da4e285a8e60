// Types shared by main.bicep and the modules.

@export()
@description('A principal that receives a role on a resource; roleDefinitionId is the built-in role\'s GUID.')
type roleAssignment = {
  @description('Object id of the managed identity, user or group.')
  principalId: string

  @description('Kind of principal; ServicePrincipal for managed identities avoids the replication-delay failure.')
  principalType: principalKind

  @description('GUID of the built-in role definition.')
  roleDefinitionId: string

  @description('Why the principal needs the role (shown in the portal).')
  description: string
}

@export()
@description('Kinds of Entra ID principal a role can be given to.')
type principalKind = 'ServicePrincipal' | 'User' | 'Group'

@export()
@description('A Cosmos DB NoSQL container whose partition key is /id.')
type cosmosContainer = {
  @description('Container name.')
  name: string

  @description('Default time to live in seconds: null leaves TTL off, -1 turns it on without a default, n > 0 expires items after n seconds.')
  defaultTtl: int?

  @description('True for key-value containers read only by id (point reads, ReadMany): nothing is indexed, which makes writes cheaper.')
  pointReadsOnly: bool
}

@export()
@description('Optional overrides of the generated resource names; every name left out is derived from the environment name.')
type resourceNames = {
  @description('Resource group.')
  resourceGroup: string?

  @description('User-assigned managed identity of the function app.')
  identity: string?

  @description('Flex Consumption plan.')
  plan: string?

  @description('Function app (its default host name is derived from it).')
  functionApp: string?

  @description('Documents storage account, also the Functions host storage (3-24 lowercase letters and digits).')
  documentsStorage: string?

  @description('Storage account that holds the Flex deployment package (3-24 lowercase letters and digits).')
  deploymentStorage: string?

  @description('Cosmos DB account.')
  cosmos: string?

  @description('Azure AI Search service.')
  search: string?

  @description('Azure OpenAI account (also its custom subdomain).')
  openAi: string?

  @description('Log Analytics workspace.')
  logAnalytics: string?

  @description('Application Insights component.')
  applicationInsights: string?

  @description('Event Grid system topic of the documents storage account.')
  systemTopic: string?

  @description('Action group the alerts notify.')
  actionGroup: string?
}

@export()
@description('Resource tags.')
type resourceTags = {
  @description('Any tag name and its value.')
  *: string
}
