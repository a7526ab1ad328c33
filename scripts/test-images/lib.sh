# The part every test-image recipe shares, sourced by each (scripts/test-image.sh for Node.js,
# scripts/test-images/*.sh for the others): a recipe makes a rootfs laid out like an AWS base image;
# this keeps it in the tool cache as an archive named after the hash of the recipe's inputs, and
# imports it with `docker import` carrying that hash as a label, so an engine that has the image
# skips it and a fresh engine (the test runner starts one every run) only imports.
#   test_image IMAGE HASH MAKE_ROOTFS IMPORT_OPTION...
# MAKE_ROOTFS is a function the recipe defines; it fills the empty folder given as its argument.
# IMPORT_OPTIONS are `docker import -c` lines (ENTRYPOINT, ENV...). WORKDIR /var/task and the label
# are added here.
cache=${LWB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lambda-workbench-dev}
log() { printf '[test-image] %s\n' "$*" >&2; }

test_image() {
  local image=$1 want=$2 make=$3
  shift 3
  local have
  have=$(docker image inspect -f '{{ index .Config.Labels "lambda-workbench.test-image" }}' "$image" 2>/dev/null || true)
  if [ "$have" = "$want" ]; then return 0; fi
  local archives="$cache/test-images" name
  name=$(echo "$image" | tr '/:' '__')
  local archive="$archives/$name-$want.tar"
  if [ ! -f "$archive" ]; then
    log "making the rootfs archive for $image"
    mkdir -p "$archives"
    rm -f "$archives/$name"-*.tar
    # Global, for the trap: a recipe that fails stops the script (set -e), and the folder goes.
    test_image_root=$(mktemp -d)
    trap 'rm -rf "$test_image_root"' EXIT
    local root=$test_image_root
    mkdir -p "$root"/{bin,etc,tmp,var/task,var/runtime,var/lang/bin,opt,proc,sys,dev}
    chmod 1777 "$root/tmp"
    printf 'root:x:0:0:root:/root:/bin/sh\nsbx_user1051:x:993:990::/home/sbx_user1051:/sbin/nologin\n' >"$root/etc/passwd"
    printf 'root:x:0:\n' >"$root/etc/group"
    "$make" "$root"
    tar -C "$root" -cf "$archive.partial" .
    rm -rf "$root"
    mv "$archive.partial" "$archive"
  fi
  log "importing $image from the cached archive"
  local options=()
  for c in "$@" 'WORKDIR /var/task' "LABEL lambda-workbench.test-image=$want"; do options+=(-c "$c"); done
  docker import "${options[@]}" "$archive" "$image" >/dev/null
  log "imported $image ($(docker image inspect -f '{{.Size}}' "$image") bytes)"
}

# busybox as the shell and tools, at /bin (the AWS images have a shell there).
add_busybox() {
  cp /bin/busybox "$1/bin/busybox"
  for applet in $(/bin/busybox --list); do [ -e "$1/bin/$applet" ] || ln -s busybox "$1/bin/$applet"; done
}

# Each file's shared libraries (as ldd finds them on this machine), at their own paths.
add_libraries() {
  local root=$1
  shift
  for lib in $(ldd "$@" | grep -o '/[^ ]*\.so[^ ]*' | sort -u); do cp -L --parents "$lib" "$root/"; done
}

# Like the AWS base images: the handler comes as the only argument, then the runtime's bootstrap.
write_entrypoint() {
  cat >"$1/lambda-entrypoint.sh" <<'SH'
#!/bin/sh
if [ $# -ne 1 ]; then echo "entrypoint requires the handler name to be the first argument" >&2; exit 142; fi
export _HANDLER="$1"
if [ -z "${AWS_LAMBDA_RUNTIME_API:-}" ]; then echo "AWS_LAMBDA_RUNTIME_API is not set" >&2; exit 1; fi
exec /var/runtime/bootstrap
SH
  chmod 755 "$1/lambda-entrypoint.sh"
}
