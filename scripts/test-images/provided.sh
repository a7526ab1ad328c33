#!/usr/bin/env bash
# The OS-only runtime's test image (provided.al2023), laid out like AWS's: no language runtime and
# no /var/runtime/bootstrap of its own; the function's own executable is the runtime (a zip
# function's /var/task/bootstrap, or /opt/bootstrap from a layer), found the way Lambda finds it.
# The C library is this machine's glibc (Amazon Linux 2023 has 2.34; builds refuse binaries that
# need a newer one), with libgcc_s, which Rust binaries unwind with.
#   scripts/test-images/provided.sh [IMAGE]      default IMAGE: lambda-workbench-test/provided:al2023
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
image=${1:-lambda-workbench-test/provided:al2023}
# shellcheck source=import.sh
. "$here/import.sh"
# shellcheck source=busybox.sh
. "$here/busybox.sh"

# glibc's libraries as Debian's libc6 installs them, and libgcc_s.
libraries() {
  { dpkg -L libc6 | grep -E '/(ld-linux[^/]*|lib[a-z_]+)\.so(\.[0-9]+)*$'; dpkg -L libgcc-s1 | grep -E '\.so(\.[0-9]+)*$'; } | sort -u
}

make_rootfs() {
  local root=$1
  busybox_rootfs "$root"
  # Copied as files at the paths binaries name them by (the loader's /lib64/ld-linux-x86-64.so.2 too).
  for lib in $(libraries) /lib64/ld-linux-x86-64.so.2 /lib/ld-linux-aarch64.so.1; do
    if [ -e "$lib" ]; then cp -L --parents "$lib" "$root/"; fi
  done
  lambda_entrypoint "$root"
}

want=$( { cat "$0" "$here/import.sh" "$here/busybox.sh"; sha256sum /bin/busybox $(libraries); } | sha256sum | cut -c1-16)
import_image "$image" "$want" make_rootfs \
  'ENTRYPOINT ["/lambda-entrypoint.sh"]' \
  'WORKDIR /var/task' \
  'ENV PATH=/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin LANG=en_US.UTF-8 TZ=:UTC LD_LIBRARY_PATH=/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib LAMBDA_TASK_ROOT=/var/task LAMBDA_RUNTIME_DIR=/var/runtime'
