#!/bin/sh
# azd postdeploy hook: subscribes the IngestBlobEventGrid function to BlobCreated events of the documents container.
#
# The Event Grid-source blob trigger is reached through the blob extension's webhook, authorised by the host's
# `blobs_extension` system key. That key exists only after the app has been deployed and its host has started,
# so the subscription cannot be part of the Bicep deployment without a listKeys() call in a template, which this
# project does not allow. The key is read here with the caller's Entra ID rights (az functionapp keys list),
# handed straight to Event Grid and never printed, written to a file or stored in the azd environment.
# Re-running is safe: an existing subscription gets the current key (e.g. after a key rotation).
#
# Events Event Grid cannot deliver (30 attempts within 24 h, or refused) are dead-lettered into a blob container, written
# with the system topic's managed identity (the template grants it that container); the webhook itself is reached
# with the key, since the blob extension's endpoint does not accept Entra ID tokens.
#
# Inputs (azd passes its environment, filled from the Bicep outputs): AZURE_RESOURCE_GROUP,
# AZURE_FUNCTION_APP_NAME, AZURE_FUNCTION_APP_HOSTNAME, AZURE_EVENTGRID_SYSTEM_TOPIC_NAME, DOCUMENTS_CONTAINER_NAME,
# AZURE_EVENTGRID_DEAD_LETTER_CONTAINER_ID.
# Knobs: BLOB_KEY_ATTEMPTS (default 40) and BLOB_KEY_WAIT_SECONDS (default 15): how long to wait for the key, 10
# minutes by default; a first deployment to Flex Consumption can take several minutes before the host has started
# and loaded the Event Grid blob trigger, which is when it creates the key.
set -eu

: "${AZURE_RESOURCE_GROUP:?run through azd, or export the Bicep outputs}"
: "${AZURE_FUNCTION_APP_NAME:?}"
: "${AZURE_FUNCTION_APP_HOSTNAME:?}"
: "${AZURE_EVENTGRID_SYSTEM_TOPIC_NAME:?}"
: "${DOCUMENTS_CONTAINER_NAME:?}"
: "${AZURE_EVENTGRID_DEAD_LETTER_CONTAINER_ID:?run azd provision first: the template outputs the dead-letter container}"

function_name="IngestBlobEventGrid"
subscription_name="blob-created-to-ingest"
subject_prefix="/blobServices/default/containers/${DOCUMENTS_CONTAINER_NAME}/blobs/"
key_attempts="${BLOB_KEY_ATTEMPTS:-40}"
wait_seconds="${BLOB_KEY_WAIT_SECONDS:-15}"
retry_wait_seconds="${SUBSCRIPTION_RETRY_WAIT_SECONDS:-15}"

if ! command -v az >/dev/null 2>&1; then
  echo "error: the Azure CLI (az) is required: https://learn.microsoft.com/cli/azure/install-azure-cli" >&2
  exit 1
fi

# The host creates the blobs_extension key when it first loads an Event Grid blob trigger; a request to the
# anonymous health endpoint wakes an app that has scaled to zero.
echo "waiting up to $((key_attempts * wait_seconds)) s for the blobs_extension key of ${AZURE_FUNCTION_APP_NAME}..."
started="$(date +%s)"
key=""
attempt=1
while :; do
  if command -v curl >/dev/null 2>&1; then
    curl --silent --output /dev/null --max-time 30 "https://${AZURE_FUNCTION_APP_HOSTNAME}/api/health" || true
  fi
  key="$(az functionapp keys list \
    --resource-group "$AZURE_RESOURCE_GROUP" \
    --name "$AZURE_FUNCTION_APP_NAME" \
    --query "systemKeys.blobs_extension" \
    --output tsv 2>/dev/null || true)"
  if [ -n "$key" ]; then
    break
  fi
  elapsed=$(($(date +%s) - started))
  if [ "$attempt" -ge "$key_attempts" ]; then
    cat >&2 <<EOF
error: the blobs_extension system key of ${AZURE_FUNCTION_APP_NAME} did not appear after ${attempt} attempts (${elapsed} s).
The host creates it when it first loads ${function_name}; until then BlobCreated events cannot reach the app
(uploads are still indexed by the Reconcile timer). What to do:
  1. Check that the app was deployed with ${function_name}:
       az functionapp function list -g ${AZURE_RESOURCE_GROUP} -n ${AZURE_FUNCTION_APP_NAME} --query "[].name" -o tsv
  2. Check whether the key exists now (prints true or false, never the key):
       az functionapp keys list -g ${AZURE_RESOURCE_GROUP} -n ${AZURE_FUNCTION_APP_NAME} --query "systemKeys.blobs_extension != null"
     and look at the app's log stream or Application Insights for host start-up errors.
  3. Run this hook again (it is safe to repeat):
       azd hooks run postdeploy
     or wait longer, e.g. 20 minutes:
       BLOB_KEY_ATTEMPTS=80 azd hooks run postdeploy
EOF
    exit 1
  fi
  echo "waiting for the blobs_extension key of ${AZURE_FUNCTION_APP_NAME}: attempt ${attempt} of ${key_attempts}, ${elapsed} s elapsed"
  attempt=$((attempt + 1))
  sleep "$wait_seconds"
done

endpoint="https://${AZURE_FUNCTION_APP_HOSTNAME}/runtime/webhooks/blobs?functionName=Host.Functions.${function_name}&code=${key}"

# Creating the subscription makes Event Grid validate the webhook, which a cold host may answer late: retry.
attempt=1
while :; do
  if az eventgrid system-topic event-subscription show \
    --resource-group "$AZURE_RESOURCE_GROUP" \
    --system-topic-name "$AZURE_EVENTGRID_SYSTEM_TOPIC_NAME" \
    --name "$subscription_name" \
    --output none >/dev/null 2>&1; then
    action="updated"
    set -- update
  else
    action="created"
    set -- create --endpoint-type webhook --event-delivery-schema eventgridschema \
      --max-delivery-attempts 30 --event-ttl 1440
  fi
  # Undeliverable events go to the dead-letter container, written with the system topic's identity.
  set -- "$@" --deadletter-identity systemassigned --deadletter-identity-endpoint "$AZURE_EVENTGRID_DEAD_LETTER_CONTAINER_ID"
  if az eventgrid system-topic event-subscription "$@" \
    --resource-group "$AZURE_RESOURCE_GROUP" \
    --system-topic-name "$AZURE_EVENTGRID_SYSTEM_TOPIC_NAME" \
    --name "$subscription_name" \
    --endpoint "$endpoint" \
    --included-event-types Microsoft.Storage.BlobCreated \
    --subject-begins-with "$subject_prefix" \
    --only-show-errors \
    --output none; then
    break
  fi
  if [ "$attempt" -ge 5 ]; then
    echo "error: could not create the Event Grid subscription ${subscription_name}" >&2
    exit 1
  fi
  echo "retrying the Event Grid subscription (${attempt}/5)..."
  attempt=$((attempt + 1))
  sleep "$retry_wait_seconds"
done

echo "Event Grid subscription ${subscription_name} ${action}: BlobCreated in '${DOCUMENTS_CONTAINER_NAME}' -> ${function_name}."
