# lab-test.sh: the start every lab test script shares (bash, sourced in
# place of lab.sh).  SPDX-License-Identifier: LGPL-2.1-or-later
#
#   LAB_NEEDS="smcrouted:smcroute"        # optional, as for lab.sh
#   source "$(dirname "$0")/lab-test.sh"
#
# Unset variables are errors; lab.sh builds the lab (re-executing the script
# isolated); then peer is the mctx-lab-peer program the hosts run
# (MCTX_LAB_PEER, which meson sets) and W the lab's scratch directory.

set -u
source "$(dirname "${BASH_SOURCE[0]}")/lab.sh"
peer=${MCTX_LAB_PEER:?set MCTX_LAB_PEER to the mctx-lab-peer program}
W=$LAB_WORK
