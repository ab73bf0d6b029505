# What the Python examples beside this file share (a helper of the
# examples, not part of libmctx); they import it from their own directory.
#
# SPDX-License-Identifier: LGPL-2.1-or-later


def counters(stats, *fields):
    """'packets-sent=3 would-block=0': FIELDS of a libmctx stats struct
    (Mctx.PublicationStats, Mctx.SubscriptionStats), named as in the docs."""
    return " ".join(f"{f.replace('_', '-')}={getattr(stats, f)}" for f in fields)
