#!/usr/bin/env bash
# The OS-only runtime's test image (provided.al2023), laid out like AWS's: no language runtime and
# no /var/runtime/bootstrap of its own; the function's own executable is the runtime (a zip
# function's /var/task/bootstrap, or /opt/bootstrap from a layer), found the way Lambda finds it.
# The C library is glibc (Amazon Linux 2023 has 2.34; builds refuse binaries that need a newer
# one), with libgcc_s, which Rust binaries unwind with: this machine's own; for arm64, busybox,
# glibc and libgcc_s from Debian bookworm's arm64 packages (scripts/test-images/arm64.sh), imported
# as linux/arm64 (on an x86_64 machine its programs run under qemu's emulation).
#   scripts/test-images/provided.sh [native|arm64] [IMAGE]
#     default IMAGE: lambda-workbench-test/provided:al2023 (arm64: lambda-workbench-test/provided:al2023-arm64)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
arch=${1:-native}
# shellcheck source=import.sh
. "$here/import.sh"
# shellcheck source=busybox.sh
. "$here/busybox.sh"

# The native libraries are the installed libc6's and libgcc-s1's own files.
native_libraries() {
  { dpkg -L libc6 | grep -E '/(ld-linux[^/]*|lib[a-z_]+)\.so(\.[0-9]+)*$'; dpkg -L libgcc-s1 | grep -E '\.so(\.[0-9]+)*$'
    for l in /lib64/ld-linux-x86-64.so.2 /lib/ld-linux-aarch64.so.1; do [ -e "$l" ] && echo "$l"; done; } | sort -u
}

# copy_rootfs ROOT SYSROOT LIBRARY...: busybox and the libraries from SYSROOT, copied as files.
copy_rootfs() {
  local root=$1 sysroot=$2
  shift 2
  busybox_rootfs "$root"
  # The sysroot's own busybox (another CPU's build of the same Debian package: the same applets).
  cp "$sysroot/bin/busybox" "$root/bin/busybox"
  for lib in "$@"; do (cd "$sysroot" && cp -L --parents ".$lib" "$root/"); done
  lambda_entrypoint "$root"
}

native_rootfs() { copy_rootfs "$1" / $(native_libraries); }

# The arm64 packages, unpacked inside the new rootfs's folder and removed from it when copied.
arm64_rootfs() {
  local root=$1 sysroot
  sysroot=$(arm64_unpack "$root")
  copy_rootfs "$root" "$sysroot" $(arm64_libraries "$sysroot" 'ld-linux[^/]*|lib[a-z_]+')
  rm -rf "$sysroot"
}

ENV='ENV PATH=/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin LANG=en_US.UTF-8 TZ=:UTC LD_LIBRARY_PATH=/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib LAMBDA_TASK_ROOT=/var/task LAMBDA_RUNTIME_DIR=/var/runtime'
case "$arch" in
  native)
    image=${2:-lambda-workbench-test/provided:al2023}
    want=$( { cat "$0" "$here/import.sh" "$here/busybox.sh"; sha256sum /bin/busybox $(native_libraries); } | sha256sum | cut -c1-16)
    import_image "$image" "$want" native_rootfs 'ENTRYPOINT ["/lambda-entrypoint.sh"]' 'WORKDIR /var/task' "$ENV"
    ;;
  arm64)
    image=${2:-lambda-workbench-test/provided:al2023-arm64}
    bash "$here/../setup.sh" arm64
    # shellcheck source=arm64.sh
    . "$here/arm64.sh"
    want=$( { cat "$0" "$here/import.sh" "$here/busybox.sh" "$here/arm64.sh" "$here/set-architecture.py"; sha256sum "$arm64_debs"/*.deb; } | sha256sum | cut -c1-16)
    import_image "$image" "$want" arm64_rootfs 'ENTRYPOINT ["/lambda-entrypoint.sh"]' 'WORKDIR /var/task' "$ENV"
    ;;
  *) echo "usage: $0 [native|arm64] [IMAGE]" >&2; exit 2 ;;
esac
