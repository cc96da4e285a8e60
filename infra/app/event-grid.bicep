// Event Grid system topic of the documents storage account, and the keyless half of the event wiring:
// BlobDeleted events for the documents container are delivered to a storage queue (RemoveDeletedBlob's trigger)
// by the topic's own managed identity. The BlobCreated subscription targets the blob extension's webhook, whose
// system key exists only once the app runs: infra/scripts/create-blob-created-subscription.sh adds it after deploy.
// Both subscriptions dead-letter what Event Grid could not deliver (retries exhausted, or the destination refused it)
// into one blob container, written with the same identity; this module grants it that container only.
import { resourceTags } from '../types.bicep'

@description('System topic name.')
param name string

@description('Region of the topic (that of the storage account).')
param location string

@description('Tags applied to the topic.')
param tags resourceTags

@description('Documents storage account (the event source and the queue\'s account).')
param storageAccountName string

@description('Blob container whose deletions are forwarded.')
param documentsContainerName string

@description('Queue that receives the BlobDeleted events.')
param deletedEventsQueueName string

@description('Blob container (in the same account) where both subscriptions dead-letter undeliverable events.')
param deadLetterContainerName string

@description('Built-in role "Storage Queue Data Message Sender".')
var queueMessageSenderRoleId = 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a'

@description('Built-in role "Storage Blob Data Contributor" (Event Grid writes dead-lettered events as blobs).')
var blobDataContributorRoleId = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

resource storageAccount 'Microsoft.Storage/storageAccounts@2025-08-01' existing = {
  name: storageAccountName

  resource blobService 'blobServices' existing = {
    name: 'default'

    resource deadLetterContainer 'containers' existing = {
      name: deadLetterContainerName
    }
  }

  resource queueService 'queueServices' existing = {
    name: 'default'

    resource deletedEventsQueue 'queues' existing = {
      name: deletedEventsQueueName
    }
  }
}

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: name
  location: location
  tags: tags
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    source: storageAccount.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

// Least privilege: the topic may only add messages, and only to this one queue.
resource topicQueueSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storageAccount::queueService::deletedEventsQueue.id, systemTopic.id, queueMessageSenderRoleId)
  scope: storageAccount::queueService::deletedEventsQueue
  properties: {
    principalId: systemTopic.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', queueMessageSenderRoleId)
    description: 'Event Grid delivers BlobDeleted events to the ${deletedEventsQueueName} queue.'
  }
}

// Least privilege: the topic may write blobs only into the dead-letter container.
resource topicDeadLetterWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storageAccount::blobService::deadLetterContainer.id, systemTopic.id, blobDataContributorRoleId)
  scope: storageAccount::blobService::deadLetterContainer
  properties: {
    principalId: systemTopic.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobDataContributorRoleId)
    description: 'Event Grid dead-letters undeliverable blob events into the ${deadLetterContainerName} container.'
  }
}

resource blobDeletedToQueue 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: systemTopic
  name: 'blob-deleted-to-queue'
  // Event Grid checks its right to write to the queue when the subscription is created.
  dependsOn: [
    topicQueueSender
    topicDeadLetterWriter
  ]
  properties: {
    deliveryWithResourceIdentity: {
      identity: {
        type: 'SystemAssigned'
      }
      destination: {
        endpointType: 'StorageQueue'
        properties: {
          resourceId: storageAccount.id
          queueName: deletedEventsQueueName
          queueMessageTimeToLiveInSeconds: 604800
        }
      }
    }
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobDeleted'
      ]
      subjectBeginsWith: '/blobServices/default/containers/${documentsContainerName}/blobs/'
    }
    deadLetterWithResourceIdentity: {
      identity: {
        type: 'SystemAssigned'
      }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: storageAccount.id
          blobContainerName: deadLetterContainerName
        }
      }
    }
    eventDeliverySchema: 'EventGridSchema'
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}

@description('System topic name (the post-deploy hook adds the BlobCreated webhook subscription to it).')
output name string = systemTopic.name

@description('Resource id of the dead-letter container (the post-deploy hook dead-letters BlobCreated events there too).')
output deadLetterContainerId string = storageAccount::blobService::deadLetterContainer.id
