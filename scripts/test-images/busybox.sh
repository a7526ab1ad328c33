# Sourced by the test image recipes whose rootfs is busybox plus a runtime (scripts/test-image.sh,
# scripts/test-images/provided.sh, java.sh), after import.sh.

# busybox_rootfs ROOT: the folders of an AWS base image (/var/task, /var/runtime, /var/lang/bin, /opt,
# /tmp), busybox as the shell and tools at /bin, and the users Lambda's sandbox has.
busybox_rootfs() {
  local root=$1
  mkdir -p "$root"/{bin,etc,tmp,var/task,var/runtime,var/lang/bin,opt,proc,sys,dev}
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $(/bin/busybox --list); do [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nsbx_user1051:x:993:990::/home/sbx_user1051:/sbin/nologin\n' >"$root/etc/passwd"
  printf 'root:x:0:\n' >"$root/etc/group"
}
