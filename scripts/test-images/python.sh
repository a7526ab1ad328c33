#!/usr/bin/env bash
# Builds a Lambda-like Python test image without pulling anything: a Debian rootfs (debootstrap)
# with its CPython, and AWS's own runtime interface client for Python (awslambdaric, from PyPI),
# laid out like AWS's python base images: /lambda-entrypoint.sh, /var/runtime/bootstrap (which
# runs /var/runtime/bootstrap.py), /var/lang/bin/python3.X, /var/task, /opt/python on the path.
# CPython comes from Debian: bookworm has 3.11, trixie 3.13. (3.12 is in no Debian release and no
# registry this project reaches ships a CPython build, so it has no image here.)
# The `-build` flavour adds what AWS's build images add for native code: gcc, the C library's
# headers and Python's own, to build a package from source inside the image. The `-arm64` flavour
# is the same image for arm64: Debian's arm64 packages, set up under QEMU's emulation (binfmt_misc,
# scripts/setup.sh arm64), with awslambdaric's aarch64 wheel.
#   scripts/test-images/python.sh 3.13|3.11|3.13-build|3.11-build|3.13-arm64 [IMAGE]
#   default IMAGE: lambda-workbench-test/python:<first argument>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=import.sh
. "$here/import.sh"
flavour=${1:?usage: python.sh 3.13|3.11|3.13-build|3.11-build|3.13-arm64 [IMAGE]}
image=${2:-lambda-workbench-test/python:$flavour}
arch=x86_64
base=$flavour
if [ "${flavour%-arm64}" != "$flavour" ]; then
  arch=arm64
  base=${flavour%-arm64}
  # shellcheck source=arm64.sh
  . "$here/arm64.sh"
fi
version=${base%-build}
case "$version" in
  3.13) suite=trixie ;;
  3.11) suite=bookworm ;;
  *) log "no Debian release ships CPython $version: choose 3.13 or 3.11"; exit 2 ;;
esac
packages="python$version,libpython$version-stdlib,ca-certificates"
[ "$base" != "$version" ] && packages="$packages,gcc,libc6-dev,python$version-dev"
case "$arch" in
  arm64) debian_arch=arm64 wheel_arch=aarch64 ;;
  *) debian_arch=amd64 wheel_arch=x86_64 ;;
esac

wheels="$cache/python-wheels"
pin() { grep -E "^$1==" "$here/python-wheels.txt"; }
if [ "$arch" = x86_64 ]; then
  bash "$here/../setup.sh" apt pywheels
  want=$( { cat "$0" "$here/import.sh" "$wheels/.stamp"; echo "$packages"; } | sha256sum | cut -c1-16)
else
  bash "$here/../setup.sh" apt pywheelsarm64
  want=$( { cat "$0" "$here/import.sh" "$here/arm64.sh" "$here/set-architecture.py" "$wheels/.stamp-aarch64"; echo "$packages $debian_arch"; } | sha256sum | cut -c1-16)
fi

# The Debian mirror this machine's apt already uses.
mirror() {
  local m
  # Source lines only (deb lines, deb822 URIs:), never comments that name another archive.
  m=$(grep -rhE '^[[:space:]]*(deb|URIs:)[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null |
    grep -oE 'https?://[^ ]+/debian/?' | grep -v security | head -n 1 || true)
  echo "${m:-http://deb.debian.org/debian}"
}

python_rootfs() {
  local root=$1 debs="$cache/debootstrap-debs/$flavour"
  if [ "${LWB_TEST_IMAGE_MAKE_ONLY:-}" != 1 ] && ! getent hosts "$(mirror | sed -E 's#^https?://([^/:]+).*#\1#')" >/dev/null; then
    log "the Debian mirror cannot be reached from here (a test run's own network namespace?): run bash scripts/setup.sh pyimages first"
    return 1
  fi
  mkdir -p "$debs"
  log "debootstrap $suite for $debian_arch ($packages), about a minute"
  if [ "$arch" = x86_64 ]; then
    debootstrap --variant=minbase --cache-dir="$debs" --include="$packages" "$suite" "$root" "$(mirror)" >"$root.log" 2>&1 ||
      { tail -n 20 "$root.log" >&2; rm -f "$root.log"; return 1; }
  else
    # Nothing arm64 runs here: debootstrap's first stage resolves, downloads and unpacks the base,
    # and the rest of what it downloaded is unpacked the same way. Packages' own scripts do not run
    # (nothing a function's image needs comes from them but the CA bundle, made below).
    debootstrap --foreign --arch="$debian_arch" --variant=minbase --cache-dir="$debs" --include="$packages" "$suite" "$root" "$(mirror)" >"$root.log" 2>&1 ||
      { tail -n 20 "$root.log" >&2; rm -f "$root.log"; return 1; }
    local deb
    for deb in "$root"/var/cache/apt/archives/*.deb; do dpkg-deb -x "$deb" "$root"; done
    rm -rf "$root/debootstrap"
    cat "$root"/usr/share/ca-certificates/mozilla/*.crt >"$root/etc/ssl/certs/ca-certificates.crt"
  fi
  rm -f "$root.log"
  # What a function's image does not need: package manager state, documentation, translations.
  rm -rf "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* "$root"/usr/share/{doc,man,info,locale}/*
  # AWS's images let pip install into them (no PEP 668 marker).
  rm -f "$root/usr/lib/python$version/EXTERNALLY-MANAGED"
  local site="$root/usr/local/lib/python$version/dist-packages"
  # The interpreter itself, not a version manager's shim (pyenv's rehashes after pip, racing side-by-side runs).
  local python
  python=$(python3 -c 'import sys; print(sys.executable)')
  local tags=(--platform "manylinux2014_$wheel_arch" --platform "manylinux_2_17_$wheel_arch" --platform "manylinux_2_28_$wheel_arch"
    --implementation cp --python-version "$version" --only-binary=:all: --no-index --find-links "$wheels"
    --no-compile --disable-pip-version-check --quiet)
  # The runtime interface client where AWS's images keep it, and pip for builds inside the image.
  PIP_ROOT_USER_ACTION=ignore "$python" -m pip install "${tags[@]}" --target "$root/var/runtime" "$(pin awslambdaric)"
  PIP_ROOT_USER_ACTION=ignore "$python" -m pip install "${tags[@]}" --target "$site" "$(pin pip)"
  mkdir -p "$root/var/lang/bin" "$root/var/task" "$root/opt"
  for name in python3 "python$version" python; do ln -sf "/usr/bin/python$version" "$root/var/lang/bin/$name"; done
  printf '#!/bin/sh\nexec /usr/bin/python%s -m pip "$@"\n' "$version" >"$root/var/lang/bin/pip"
  chmod 755 "$root/var/lang/bin/pip"
  echo "sbx_user1051:x:993:990::/home/sbx_user1051:/sbin/nologin" >>"$root/etc/passwd"
  cat >"$root/var/runtime/bootstrap" <<SH
#!/bin/sh
# Like AWS's python images: the runtime is bootstrap.py beside this file, run by the image's Python.
export AWS_EXECUTION_ENV=AWS_Lambda_python$version
if [ -n "\${AWS_LAMBDA_EXEC_WRAPPER:-}" ]; then exec "\$AWS_LAMBDA_EXEC_WRAPPER" /var/lang/bin/python$version /var/runtime/bootstrap.py; fi
exec /var/lang/bin/python$version /var/runtime/bootstrap.py
SH
  cat >"$root/var/runtime/bootstrap.py" <<'PY'
"""Starts AWS's runtime interface client with the handler the entrypoint was given.

Module search order as on Lambda: the task root, then layers (/opt/python/lib/pythonX.Y/site-packages,
/opt/python), then the runtime's own folder (this file's, already first on sys.path).
"""
import os
import sys

layers = ["/opt/python/lib/python{}.{}/site-packages".format(*sys.version_info[:2]), "/opt/python"]
if "PYTHONPATH" not in os.environ:
    sys.path[0:0] = layers
sys.path.insert(0, os.environ.get("LAMBDA_TASK_ROOT", "/var/task"))

from awslambdaric import __main__ as ric  # noqa: E402 (needs the path above)

ric.main([sys.argv[0], os.environ["_HANDLER"]])
PY
  chmod 755 "$root/var/runtime/bootstrap"
  lambda_entrypoint "$root"
  [ "$arch" = x86_64 ] || compile_natively "$root"
}

# compile_natively ROOT: byte-compiles the arm64 rootfs's Python modules (Debian's scripts, which
# would have, did not run), as AWS's images ship them: a read-only container cannot keep what it
# compiles, and under emulation compiling the modules at each cold start takes seconds. The .pyc
# files are the same on every CPU: the same CPython for x86_64 compiles them here, natively (it
# needs trixie's C library, so it runs through its own loader; its packages have a cache folder of
# their own, since setup makes the x86_64 3.13 image at the same time).
compile_natively() {
  local root=$1 tool debs="$cache/debootstrap-debs/$version-compiler"
  tool=$(mktemp -d)
  mkdir -p "$debs"
  debootstrap --foreign --arch=amd64 --variant=minbase --cache-dir="$debs" --include="python$version" \
    "$suite" "$tool" "$(mirror)" >"$tool.log" 2>&1 || { tail -n 20 "$tool.log" >&2; rm -rf "$tool" "$tool.log"; return 1; }
  local deb
  for deb in "$tool"/var/cache/apt/archives/*.deb; do dpkg-deb -x "$deb" "$tool"; done
  "$tool/usr/lib64/ld-linux-x86-64.so.2" --library-path "$tool/usr/lib/x86_64-linux-gnu" "$tool/usr/bin/python$version" \
    -m compileall -q -s "$root" -p / -x '/(test|idlelib|tkinter|turtledemo|lib2to3)/' "$root/usr/lib/python$version" "$root/var/runtime" >"$tool.log" 2>&1 ||
    { tail -n 20 "$tool.log" >&2; rm -rf "$tool" "$tool.log"; return 1; }
  rm -rf "$tool" "$tool.log"
}

import_image "$image" "$want" python_rootfs \
  'ENTRYPOINT ["/lambda-entrypoint.sh"]' \
  'WORKDIR /var/task' \
  "ENV PATH=/var/lang/bin:/usr/local/bin:/usr/bin:/bin:/opt/bin LANG=C.UTF-8 TZ=:UTC LAMBDA_TASK_ROOT=/var/task LAMBDA_RUNTIME_DIR=/var/runtime LD_LIBRARY_PATH=/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib"
