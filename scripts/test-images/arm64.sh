# Sourced by the arm64 test image recipes (scripts/test-images/provided.sh, scripts/test-image.sh),
# after import.sh: Debian bookworm's arm64 packages (scripts/setup.sh arm64) as the rootfs's C
# libraries and busybox, and the import of a rootfs for arm64.
arm64_debs="$cache/arm64/debs"

# arm64_unpack ROOT: unpacks the arm64 packages into ROOT/.packages (the caller removes it) and prints that folder.
arm64_unpack() {
  local sysroot="$1/.packages"
  mkdir -p "$sysroot"
  for deb in "$arm64_debs"/*.deb; do dpkg-deb -x "$deb" "$sysroot"; done
  echo "$sysroot"
}

# arm64_libraries SYSROOT REGEX: the .so files below SYSROOT whose names match REGEX, as paths from it (/lib/...).
arm64_libraries() {
  (cd "$1" && find lib usr/lib -regextype posix-extended -regex ".*/($2)\.so(\.[0-9]+)*$" 2>/dev/null | sed 's|^|/|' | sort -u)
}

# import.sh's `docker import` makes an image for the engine's own CPU, and Debian's Docker 20.10
# ignores --platform there: the image imported is given arm64 as its architecture after, through
# `docker save` and `docker load` (set-architecture.py).
docker() {
  if [ "$1" != import ]; then command docker "$@"; return; fi
  shift
  local name=${*: -1} imported
  imported=$(command docker import --platform linux/arm64 "$@")
  command docker save "$name" | python3 "$(dirname "${BASH_SOURCE[0]}")/set-architecture.py" arm64 | command docker load >/dev/null
  command docker image rm "$imported" >/dev/null
}
