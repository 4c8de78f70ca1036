#!/usr/bin/env bash
# Packs the release tarballs and builds the ecmahost image from them with buildah.
#   build-image.sh <image name> [base image]
# Without a base image it makes the local stand-in for node:20-bookworm-slim (make-local-base.sh),
# for machines that cannot pull from an image registry. Prints the image's size at the end.
set -euo pipefail

image=${1:?usage: build-image.sh <image name> [base image]}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
base=${2:-}

(cd "$root" && npm run --silent release:pack)
if [ -z "$base" ]; then
  base=localhost/ecmahost-base:node20
  "$here/make-local-base.sh" "$base" >/dev/null
fi
# npm inside the build trusts what npm here trusts (a TLS-inspecting proxy's CA, for one).
secret=()
cafile=$(cd "$root" && npm config get cafile)
if [ -n "$cafile" ] && [ "$cafile" != null ] && [ "$cafile" != undefined ]; then secret=(--secret "id=npm_cafile,src=$cafile"); fi
# chroot isolation: RUN steps work where a container runtime cannot start (no cgroups here). The
# docker format keeps HEALTHCHECK, which the OCI image format has no field for.
buildah build --quiet --isolation chroot --layers=false --format docker --build-arg "BASE=$base" "${secret[@]}" \
  -f "$here/Containerfile" -t "$image" "$root/dist-release" >/dev/null
size=$(podman image inspect --format '{{.Size}}' "$image")
echo "built $image on $base: $((size / 1000000)) MB"
