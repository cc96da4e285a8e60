# azd postdeploy hook (Windows): the PowerShell twin of create-blob-created-subscription.sh; read that file's
# header for why the BlobCreated subscription is created here and not in Bicep. The key is never printed or stored.
#
# Unlike the sh script, this one calls Azure Resource Manager with Invoke-RestMethod (the az CLI only supplies a
# token): on Windows `az` is a .cmd file, and cmd.exe would split the webhook URL at its '&'.
# Same knobs and defaults as the sh script: BLOB_KEY_ATTEMPTS (40) × BLOB_KEY_WAIT_SECONDS (15) = 10 minutes for the key.
# Undeliverable events are dead-lettered into AZURE_EVENTGRID_DEAD_LETTER_CONTAINER_ID with the system topic's identity.
$ErrorActionPreference = 'Stop'

foreach ($name in 'AZURE_RESOURCE_GROUP', 'AZURE_FUNCTION_APP_NAME', 'AZURE_FUNCTION_APP_HOSTNAME',
                  'AZURE_EVENTGRID_SYSTEM_TOPIC_NAME', 'DOCUMENTS_CONTAINER_NAME', 'AZURE_EVENTGRID_DEAD_LETTER_CONTAINER_ID') {
    if (-not [Environment]::GetEnvironmentVariable($name)) {
        throw "$name is not set: run through azd, or set the Bicep outputs as environment variables."
    }
}
if (-not (Get-Command az -ErrorAction SilentlyContinue)) {
    throw 'The Azure CLI (az) is required: https://learn.microsoft.com/cli/azure/install-azure-cli'
}

$functionName = 'IngestBlobEventGrid'
$subscriptionName = 'blob-created-to-ingest'
$subjectPrefix = "/blobServices/default/containers/$($env:DOCUMENTS_CONTAINER_NAME)/blobs/"
$keyAttempts = if ($env:BLOB_KEY_ATTEMPTS) { [int]$env:BLOB_KEY_ATTEMPTS } else { 40 }
$waitSeconds = if ($env:BLOB_KEY_WAIT_SECONDS) { [int]$env:BLOB_KEY_WAIT_SECONDS } else { 15 }

$subscriptionId = if ($env:AZURE_SUBSCRIPTION_ID) { $env:AZURE_SUBSCRIPTION_ID } else { az account show --query id --output tsv }
$arm = (az cloud show --query endpoints.resourceManager --output tsv).TrimEnd('/')
$token = az account get-access-token --resource "$arm/" --query accessToken --output tsv
if ($LASTEXITCODE -ne 0 -or -not $token) { throw 'Could not get a token: run az login.' }
$headers = @{ Authorization = "Bearer $token" }

$group = "/subscriptions/$subscriptionId/resourceGroups/$($env:AZURE_RESOURCE_GROUP)"
$appId = "$group/providers/Microsoft.Web/sites/$($env:AZURE_FUNCTION_APP_NAME)"
$subscriptionUri = "$arm$group/providers/Microsoft.EventGrid/systemTopics/$($env:AZURE_EVENTGRID_SYSTEM_TOPIC_NAME)/eventSubscriptions/${subscriptionName}?api-version=2025-02-15"

# The host creates the blobs_extension key when it first loads an Event Grid blob trigger; a request to the
# anonymous health endpoint wakes an app that has scaled to zero.
Write-Host "waiting up to $($keyAttempts * $waitSeconds) s for the blobs_extension key of $($env:AZURE_FUNCTION_APP_NAME)..."
$clock = [Diagnostics.Stopwatch]::StartNew()
$key = $null
for ($attempt = 1; ; $attempt++) {
    try { Invoke-WebRequest -Uri "https://$($env:AZURE_FUNCTION_APP_HOSTNAME)/api/health" -TimeoutSec 30 -UseBasicParsing | Out-Null } catch { }
    try {
        $keys = Invoke-RestMethod -Method Post -Headers $headers -Uri "$arm$appId/host/default/listkeys?api-version=2024-11-01"
        $key = $keys.systemKeys.blobs_extension
    }
    catch { $key = $null }
    if ($key) { break }
    $elapsed = [int]$clock.Elapsed.TotalSeconds
    if ($attempt -ge $keyAttempts) {
        $rg = $env:AZURE_RESOURCE_GROUP
        $app = $env:AZURE_FUNCTION_APP_NAME
        Write-Host @"
error: the blobs_extension system key of $app did not appear after $attempt attempts ($elapsed s).
The host creates it when it first loads ${functionName}; until then BlobCreated events cannot reach the app
(uploads are still indexed by the Reconcile timer). What to do:
  1. Check that the app was deployed with ${functionName}:
       az functionapp function list -g $rg -n $app --query "[].name" -o tsv
  2. Check whether the key exists now (prints true or false, never the key):
       az functionapp keys list -g $rg -n $app --query "systemKeys.blobs_extension != null"
     and look at the app's log stream or Application Insights for host start-up errors.
  3. Run this hook again (it is safe to repeat):
       azd hooks run postdeploy
     or wait longer, e.g. 20 minutes:
       `$env:BLOB_KEY_ATTEMPTS=80; azd hooks run postdeploy
"@
        throw "The blobs_extension system key of $app did not appear after $attempt attempts ($elapsed s); see above."
    }
    Write-Host "waiting for the blobs_extension key of $($env:AZURE_FUNCTION_APP_NAME): attempt $attempt of $keyAttempts, $elapsed s elapsed"
    Start-Sleep -Seconds $waitSeconds
}

$body = @{
    properties = @{
        destination         = @{
            endpointType = 'WebHook'
            properties   = @{
                endpointUrl = "https://$($env:AZURE_FUNCTION_APP_HOSTNAME)/runtime/webhooks/blobs?functionName=Host.Functions.$functionName&code=$key"
            }
        }
        # Undeliverable events go to the dead-letter container, written with the system topic's identity.
        deadLetterWithResourceIdentity = @{
            identity              = @{ type = 'SystemAssigned' }
            deadLetterDestination = @{
                endpointType = 'StorageBlob'
                properties   = @{
                    resourceId        = ($env:AZURE_EVENTGRID_DEAD_LETTER_CONTAINER_ID -replace '/blobServices/default/containers/[^/]+$', '')
                    blobContainerName = ($env:AZURE_EVENTGRID_DEAD_LETTER_CONTAINER_ID -split '/')[-1]
                }
            }
        }
        filter              = @{
            includedEventTypes = @('Microsoft.Storage.BlobCreated')
            subjectBeginsWith  = $subjectPrefix
        }
        eventDeliverySchema = 'EventGridSchema'
        retryPolicy         = @{
            maxDeliveryAttempts      = 30
            eventTimeToLiveInMinutes = 1440
        }
    }
} | ConvertTo-Json -Depth 10

# PUT creates or updates; Event Grid then validates the webhook, which a cold host may answer late: retry.
for ($attempt = 1; ; $attempt++) {
    $state = 'Failed'
    try {
        Invoke-RestMethod -Method Put -Headers $headers -Uri $subscriptionUri -ContentType 'application/json' -Body $body | Out-Null
        for ($poll = 0; $poll -lt 30; $poll++) {
            $state = (Invoke-RestMethod -Method Get -Headers $headers -Uri $subscriptionUri).properties.provisioningState
            if ($state -in 'Succeeded', 'Failed', 'Canceled') { break }
            Start-Sleep -Seconds 5
        }
    }
    catch { Write-Host "Event Grid answered: $($_.Exception.Message)" }
    if ($state -eq 'Succeeded') { break }
    if ($attempt -ge 5) { throw "Could not create the Event Grid subscription $subscriptionName (state: $state)." }
    Write-Host "retrying the Event Grid subscription ($attempt/5)..."
    Start-Sleep -Seconds 15
}

Write-Host "Event Grid subscription $subscriptionName ready: BlobCreated in '$($env:DOCUMENTS_CONTAINER_NAME)' -> $functionName."
