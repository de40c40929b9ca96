#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# qmp-relay.py <qmp socket> <out dir>
#
# Lets a case inside the test VM drive QEMU, as an operator would from the
# host: the guest writes one QMP command (JSON) to qmp-request in its
# results share, by a rename (the relay takes the file as soon as it
# exists), the relay sends it and writes QEMU's answer to qmp-reply.
# QMP events go to qmp-events, one per line. Runs until QEMU goes away.
import json
import os
import socket
import sys
import time

sock_path, out = sys.argv[1], sys.argv[2]
request, reply = os.path.join(out, "qmp-request"), os.path.join(out, "qmp-reply")

for _ in range(600):
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(sock_path)
        break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit("qmp-relay: no QMP socket at " + sock_path)

f = s.makefile("rw")
events = open(os.path.join(out, "qmp-events"), "a")


def answer():
    for line in f:
        msg = json.loads(line)
        if "event" in msg:
            events.write(line)
            events.flush()
            continue
        return msg
    sys.exit(0)


answer()  # the greeting
f.write(json.dumps({"execute": "qmp_capabilities"}) + "\n")
f.flush()
answer()
while True:
    if os.path.exists(request):
        with open(request) as r:
            cmd = r.read()
        os.unlink(request)
        f.write(cmd.strip() + "\n")
        f.flush()
        with open(reply + ".tmp", "w") as w:
            w.write(json.dumps(answer()) + "\n")
        os.rename(reply + ".tmp", reply)
    time.sleep(0.2)
