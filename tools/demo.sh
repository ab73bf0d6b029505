#!/usr/bin/env bash
# The README's main command: installs what is missing, builds, and streams
# RTP video and audio over source-specific multicast across a virtual
# two-LAN network with a router (tools/lab-demo.sh; --help for options).
# `tools/demo.sh --plant pim` runs it over three FRR routers (OSPF, PIM-SSM)
# instead of the one smcroute router.
# Everything runs in namespaces the demo creates (needs root).
#
# The smaller libmctx demo (one host, loopback): build/examples/mctx-demo
exec bash "$(dirname "$0")/lab-demo.sh" "$@"
