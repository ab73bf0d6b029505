/* RTP header parsing and sequence-number tracking, shared by the stream
 * analyser and the ST 2022-7 merger.  Private to libmctx; self-contained
 * (GLib types only, no allocation).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * mctx_rtp_parse_header() reads the RTP header (RFC 3550 5.1);
 * mctx_rtp_is_rtcp() is the one rule for RTCP sharing the port, used by
 * both callers.
 *
 * The 16-bit sequence number is extended to 64 bits: each new number is
 * placed at the distance (as a signed 16-bit difference) from the highest
 * extended number seen so far, so wraps at 65535 just keep counting up.
 * A ring bitmap remembers which of the last MCTX_RTP_SEQ_WINDOW extended
 * numbers arrived, so that a number behind the highest one can be told
 * apart as a duplicate (already seen) or a late arrival (reordered: it was
 * counted lost when a later number arrived, and is no longer).
 *
 * Counters: lost = numbers skipped and not (yet) arrived late;
 * duplicates = numbers that arrived again; reordered = numbers that arrived
 * after a later one.  A number further behind than the window, or a jump
 * ahead of more than MCTX_RTP_SEQ_MAX_JUMP, is a stray (a very late or
 * misdirected packet: counted in stray, nothing else changes) unless the
 * next number follows it: then the sender restarted, and tracking starts
 * again from there (counted in restarts, not as loss), as in RFC 3550 A.1.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The RTP header of a datagram. */
typedef struct
{
  guint8 marker_pt;             /* second byte: marker bit, payload type */
  guint16 seq;
  guint32 timestamp;
  guint32 ssrc;
  /* where the payload starts (after the CSRCs and the header extension)
   * and its length without padding; offset 0 when the extension or the
   * padding does not fit the datagram */
  gsize payload_offset;
  gsize payload_len;
} MctxRtpHeader;

/* FALSE unless @size holds a version 2 fixed header and its CSRCs. */
static inline gboolean
mctx_rtp_parse_header (const guint8 * d, gsize size, MctxRtpHeader * h)
{
  gsize off, end = size;

  if (d == NULL || size < 12 || (d[0] >> 6) != 2)
    return FALSE;
  off = 12 + 4 * (gsize) (d[0] & 0x0f);
  if (off > size)
    return FALSE;
  h->marker_pt = d[1];
  h->seq = (guint16) ((d[2] << 8) | d[3]);
  h->timestamp = ((guint32) d[4] << 24) | ((guint32) d[5] << 16) |
      ((guint32) d[6] << 8) | d[7];
  h->ssrc = ((guint32) d[8] << 24) | ((guint32) d[9] << 16) |
      ((guint32) d[10] << 8) | d[11];
  h->payload_offset = 0;
  h->payload_len = 0;
  if (d[0] & 0x10) {            /* header extension */
    if (off + 4 > size)
      return TRUE;
    off += 4 + 4 * (((gsize) d[off + 2] << 8) | d[off + 3]);
  }
  if (d[0] & 0x20) {            /* padding: count in the last byte */
    if (d[size - 1] == 0 || d[size - 1] > size)
      return TRUE;
    end = size - d[size - 1];
  }
  if (off <= end) {
    h->payload_offset = off;
    h->payload_len = end - off;
  }
  return TRUE;
}

/* RTCP multiplexed on the RTP port (RFC 5761 4): second byte 192..223 is
 * an RTCP packet type (SR 200 ... XR 207, FIR 192, NACK 193); RTP keeps
 * clear of it by not using payload types 64..95. */
static inline gboolean
mctx_rtp_is_rtcp (const MctxRtpHeader * h)
{
  return h->marker_pt >= 192 && h->marker_pt <= 223;
}

/* The 64-bit extension of @number nearest @reference: at the signed 16-bit
 * distance from it, so wraps at 65535 keep counting. */
static inline guint64
mctx_rtp_seq_extend (guint64 reference, guint16 number)
{
  return reference + (gint16) (guint16) (number - (guint16) reference);
}

#define MCTX_RTP_SEQ_WINDOW 1024        /* bits; a multiple of 64 */
#define MCTX_RTP_SEQ_MAX_JUMP 3000      /* larger forward jumps restart */

typedef enum
{
  MCTX_RTP_SEQ_FIRST,           /* first number after init or reset */
  MCTX_RTP_SEQ_NEXT,            /* ahead of the highest (maybe past a gap) */
  MCTX_RTP_SEQ_DUPLICATE,       /* seen before, inside the window */
  MCTX_RTP_SEQ_REORDERED,       /* behind the highest, not seen before */
  MCTX_RTP_SEQ_STRAY,           /* too far from the highest, on probation */
  MCTX_RTP_SEQ_RESTART,         /* followed a stray: started again there */
} MctxRtpSeqResult;

typedef struct
{
  gboolean started;
  guint64 highest;              /* highest extended number seen */
  guint64 window[MCTX_RTP_SEQ_WINDOW / 64];     /* bit (ext % WINDOW) */
  guint64 lost;
  guint64 duplicates;
  guint64 reordered;
  guint64 restarts;
  guint64 stray;
  gboolean probation;           /* a stray came; pending is its successor */
  guint16 pending;
} MctxRtpSeq;

/* Zeroes everything, counters included. */
void mctx_rtp_seq_init (MctxRtpSeq * seq);
/* Forgets the position (the next number is FIRST), keeps the counters:
 * used when the SSRC changes. */
void mctx_rtp_seq_restart (MctxRtpSeq * seq);
/* Accounts one sequence number; *ext_out (may be NULL) gets its extended
 * value. */
MctxRtpSeqResult mctx_rtp_seq_push (MctxRtpSeq * seq, guint16 number,
    guint64 * ext_out);

G_END_DECLS
