#!/usr/bin/env bash
# Downloads the pinned upstream files the tests validate against (the same files as
# ../shared/reference in the team's workplace) into a folder, and checks each file's
# SHA-256 so a moved tag or a proxy cannot change them silently.
#
#   npm run fetch-reference [-- DIR]        DIR defaults to ../shared/reference
#   TKE2EKS_REFERENCE=DIR npm test          point the tests at it (npm test runs this with
#                                           --if-missing when DIR lacks the files)
#   --if-missing                            do nothing when DIR already holds every file
#   TKE2EKS_REFERENCE_MIRROR=DIR|URL        take each file from DIR/<path> or URL/<path> (the
#                                           same layout as DIR) instead of upstream; the
#                                           SHA-256 checks still apply
set -euo pipefail

if_missing=false
if [[ "${1:-}" == "--if-missing" ]]; then
  if_missing=true
  shift
fi
dest="${1:-$(cd "$(dirname "$0")/.." && pwd)/../shared/reference}"
mirror="${TKE2EKS_REFERENCE_MIRROR:-}"
mirror="${mirror%/}"

VELERO_TAG="v1.18.2"          # velero-io/velero, CRDs of the Velero the matrix installs
CHART_TAG="velero-12.1.0"     # vmware-tanzu/helm-charts, chart 12.1.0 (Velero v1.18.1)
SNAPSHOTTER_TAG="v8.6.0"      # kubernetes-csi/external-snapshotter (CRDs unchanged since v8.0.0)

raw="https://raw.githubusercontent.com"

# target path (under DEST) | URL | sha256
files=(
  "velero-1.18/crds/velero.io_backups.yaml|$raw/velero-io/velero/$VELERO_TAG/config/crd/v1/bases/velero.io_backups.yaml|38107fa5fad6bff25794489d12c8a898eed4d9d89ed49d00ea90369bc4e206b1"
  "velero-1.18/crds/velero.io_backupstoragelocations.yaml|$raw/velero-io/velero/$VELERO_TAG/config/crd/v1/bases/velero.io_backupstoragelocations.yaml|bd6e8fb1169d6e9299f49090f86cb9aa263a9e67314013ba231e93ba74485eba"
  "velero-1.18/crds/velero.io_restores.yaml|$raw/velero-io/velero/$VELERO_TAG/config/crd/v1/bases/velero.io_restores.yaml|55ef18748fbb16ed5d585ca33a9f35ba43a5b6ebac712522e93d8e0426da3258"
  "velero-1.18/crds/velero.io_schedules.yaml|$raw/velero-io/velero/$VELERO_TAG/config/crd/v1/bases/velero.io_schedules.yaml|d2276c19d93b63ed848fb492a0f34a2ac1e162938bed499a824acf356b5860c9"
  "velero-1.18/crds/velero.io_volumesnapshotlocations.yaml|$raw/velero-io/velero/$VELERO_TAG/config/crd/v1/bases/velero.io_volumesnapshotlocations.yaml|ec1b87c3f1b83053e97e01edf3aa059dff2bcb73c9d8a89bc08a5e8644777849"
  "velero-chart-12.1.0/values.yaml|$raw/vmware-tanzu/helm-charts/$CHART_TAG/charts/velero/values.yaml|cddd350f3fdcdf8f08d77b8a3f9b9b41436fc4a3bf4bde5911ae5b78cb922d72"
  "velero-chart-12.1.0/values.schema.json|$raw/vmware-tanzu/helm-charts/$CHART_TAG/charts/velero/values.schema.json|3ea8040262a908a733bb5763f0810e1aeefbe422b6c6127fe248b9a1a48c7dd3"
  "snapshot-crds/snapshot.storage.k8s.io_volumesnapshotclasses.yaml|$raw/kubernetes-csi/external-snapshotter/$SNAPSHOTTER_TAG/client/config/crd/snapshot.storage.k8s.io_volumesnapshotclasses.yaml|75e6565aac2c0f2949ed13ea884bbaa388cb7be576b558b709cf1168e011828d"
  "snapshot-crds/snapshot.storage.k8s.io_volumesnapshotcontents.yaml|$raw/kubernetes-csi/external-snapshotter/$SNAPSHOTTER_TAG/client/config/crd/snapshot.storage.k8s.io_volumesnapshotcontents.yaml|895a3c1e73b60f06a0deb566dd123d01bdf1b2efc5d5ff5231ff8bbcf42dafc7"
  "snapshot-crds/snapshot.storage.k8s.io_volumesnapshots.yaml|$raw/kubernetes-csi/external-snapshotter/$SNAPSHOTTER_TAG/client/config/crd/snapshot.storage.k8s.io_volumesnapshots.yaml|b032116e987fb1d7d93cec7d942833adeb9d95c9bdc7e00c10b280c2fe4a6c33"
)

if $if_missing; then
  present=true
  for entry in "${files[@]}"; do
    IFS='|' read -r rel _ _ <<<"$entry"
    [[ -f "$dest/$rel" ]] || present=false
  done
  $present && exit 0
fi

if command -v sha256sum >/dev/null; then
  sha256() { sha256sum "$1" | cut -d' ' -f1; }
elif command -v shasum >/dev/null; then
  sha256() { shasum -a 256 "$1" | cut -d' ' -f1; }
else
  echo "fetch-reference: need sha256sum or shasum to check the downloads" >&2
  exit 2
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

for entry in "${files[@]}"; do
  IFS='|' read -r rel url want <<<"$entry"
  out="$tmp/$rel"
  mkdir -p "$(dirname "$out")"
  if [[ -n "$mirror" ]]; then
    url="$mirror/$rel"
  fi
  if [[ -n "$mirror" && "$mirror" != *://* ]]; then
    if ! cp "$url" "$out" 2>/dev/null; then
      echo "fetch-reference: cannot read $url (TKE2EKS_REFERENCE_MIRROR)" >&2
      exit 1
    fi
  elif ! curl -fsSL --retry 3 -o "$out" "$url"; then
    echo "fetch-reference: cannot download $url" >&2
    exit 1
  fi
  got="$(sha256 "$out")"
  if [[ "$got" != "$want" ]]; then
    echo "fetch-reference: $url has SHA-256 $got, expected $want (the pinned file changed upstream?)" >&2
    exit 1
  fi
done

# Only a complete, verified set replaces what is there.
for entry in "${files[@]}"; do
  IFS='|' read -r rel _ _ <<<"$entry"
  mkdir -p "$dest/$(dirname "$rel")"
  cp "$tmp/$rel" "$dest/$rel"
done
echo "fetch-reference: ${#files[@]} files in $dest"
