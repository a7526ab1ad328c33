"""Rewrites the architecture of the image in a `docker save` archive (stdin) into a new archive for
`docker load` (stdout). Debian's Docker 20.10 ignores `docker import --platform`: every image it
imports says it is for the engine's own CPU.
  docker save IMAGE | python3 set-architecture.py ARCH | docker load"""
import hashlib
import io
import json
import sys
import tarfile

arch = sys.argv[1]
source = tarfile.open(fileobj=io.BytesIO(sys.stdin.buffer.read()))
members = {m.name: m for m in source.getmembers()}
manifest = json.load(source.extractfile('manifest.json'))
renamed = {}
for entry in manifest:
    config = json.load(source.extractfile(entry['Config']))
    config['architecture'] = arch
    data = json.dumps(config, separators=(',', ':')).encode()
    name = hashlib.sha256(data).hexdigest() + '.json'
    renamed[entry['Config']] = (name, data)
    entry['Config'] = name
out = tarfile.open(fileobj=sys.stdout.buffer, mode='w|')


def add(name, data, like):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = like.mode
    info.mtime = like.mtime
    out.addfile(info, io.BytesIO(data))


for name, member in members.items():
    if name in renamed:
        add(*renamed[name], member)
    elif name == 'manifest.json':
        add(name, json.dumps(manifest).encode(), member)
    else:
        out.addfile(member, source.extractfile(member) if member.isfile() else None)
out.close()
