# Sourced by the test image recipes (scripts/test-image.sh, scripts/test-images/*.sh): the part they
# share. A recipe fills a rootfs folder; the folder is packed into an archive kept in the tool cache
# under the hash of the recipe's inputs, and imported with `docker import`. The image carries the
# same hash as a label, so an engine that has it already imports nothing, and a fresh engine (the
# test runner starts one every run) only imports the archive.
cache=${LWB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lambda-workbench-dev}
log() { printf '[test-image] %s\n' "$*" >&2; }

# image_current IMAGE WANT: the engine has IMAGE, made from the inputs hashed as WANT.
image_current() {
  local have
  have=$(docker image inspect -f '{{ index .Config.Labels "lambda-workbench.test-image" }}' "$1" 2>/dev/null || true)
  [ "$have" = "$2" ]
}

# import_image IMAGE WANT MAKE [CHANGE...]: imports IMAGE from its cached archive, first making the
# archive by calling `MAKE ROOT` on an empty folder when the cache has none for WANT. Each CHANGE is
# a Dockerfile instruction for `docker import -c` (ENTRYPOINT, ENV, WORKDIR). With
# LWB_TEST_IMAGE_MAKE_ONLY=1 it only makes the archive (scripts/setup.sh, where the network is: a
# recipe that downloads cannot run in the test runner's network namespace).
import_image() {
  local image=$1 want=$2 make=$3
  shift 3
  [ "${LWB_TEST_IMAGE_MAKE_ONLY:-}" != 1 ] && image_current "$image" "$want" && return 0
  local archives="$cache/test-images" base
  base=$(echo "$image" | tr '/:' '__')
  local archive="$archives/$base-$want.tar"
  if [ ! -f "$archive" ]; then
    log "making the rootfs archive for $image"
    mkdir -p "$archives"
    local root
    root=$(mktemp -d)
    # shellcheck disable=SC2064 # the folder is this call's own
    trap "remove_root '$root'" EXIT
    "$make" "$root"
    tar -C "$root" -cf "$archive.partial" .
    # Older archives of this image (its name, then a 16-digit hash: never another image's whose name goes on).
    rm -f "$archives/$base"-????????????????.tar
    mv "$archive.partial" "$archive"
    remove_root "$root"
    trap - EXIT
  fi
  [ "${LWB_TEST_IMAGE_MAKE_ONLY:-}" = 1 ] && return 0
  log "importing $image from the cached archive"
  local changes=()
  for c in "$@"; do changes+=(-c "$c"); done
  docker import "${changes[@]}" -c "LABEL lambda-workbench.test-image=$want" "$archive" "$image" >/dev/null
  log "imported $image ($(docker image inspect -f '{{.Size}}' "$image") bytes)"
}

# remove_root ROOT: removes a rootfs folder, never what is mounted inside it (a chroot's /proc).
remove_root() {
  awk -v r="$1/" 'index($2, r) == 1 { print $2 }' /proc/self/mounts | sort -r | xargs -r -n1 umount -l
  rm -rf --one-file-system "$1"
}

# lambda_entrypoint ROOT: /lambda-entrypoint.sh as the AWS base images have it: the handler comes
# as the first argument, and the runtime starts through /var/runtime/bootstrap.
lambda_entrypoint() {
  cat >"$1/lambda-entrypoint.sh" <<'SH'
#!/bin/sh
# Like the AWS base images: the handler comes as the first argument.
if [ $# -ne 1 ]; then echo "entrypoint requires the handler name to be the first argument" >&2; exit 142; fi
export _HANDLER="$1"
if [ -z "${AWS_LAMBDA_RUNTIME_API:-}" ]; then echo "AWS_LAMBDA_RUNTIME_API is not set" >&2; exit 1; fi
exec /var/runtime/bootstrap
SH
  chmod 755 "$1/lambda-entrypoint.sh"
}
