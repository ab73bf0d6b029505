/* RTP sequence-number tracking (see mctx-rtp-seq.h).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mctx-rtp-seq.h"

#include <string.h>

#define WORDS (MCTX_RTP_SEQ_WINDOW / 64)

static inline void
bit_set (MctxRtpSeq * seq, guint64 ext)
{
  guint i = ext % MCTX_RTP_SEQ_WINDOW;
  seq->window[i / 64] |= G_GUINT64_CONSTANT (1) << (i % 64);
}

static inline gboolean
bit_get (const MctxRtpSeq * seq, guint64 ext)
{
  guint i = ext % MCTX_RTP_SEQ_WINDOW;
  return (seq->window[i / 64] >> (i % 64)) & 1;
}

static inline void
bit_clear (MctxRtpSeq * seq, guint64 ext)
{
  guint i = ext % MCTX_RTP_SEQ_WINDOW;
  seq->window[i / 64] &= ~(G_GUINT64_CONSTANT (1) << (i % 64));
}

void
mctx_rtp_seq_init (MctxRtpSeq * seq)
{
  memset (seq, 0, sizeof (*seq));
}

void
mctx_rtp_seq_restart (MctxRtpSeq * seq)
{
  seq->started = FALSE;
  seq->probation = FALSE;
  memset (seq->window, 0, sizeof (seq->window));
}

static MctxRtpSeqResult
start_at (MctxRtpSeq * seq, guint64 ext, MctxRtpSeqResult result)
{
  memset (seq->window, 0, sizeof (seq->window));
  seq->started = TRUE;
  seq->highest = ext;
  bit_set (seq, ext);
  return result;
}

/* A number too far from the highest: a stray, unless it follows the
 * previous stray, which makes the two a restarted sender. */
static MctxRtpSeqResult
far_away (MctxRtpSeq * seq, guint16 number, guint64 ext, gint16 delta,
    guint64 * ext_out)
{
  if (seq->probation && number == seq->pending) {
    /* keep extended numbers increasing across a restart backwards */
    if (delta < 0)
      ext += G_GUINT64_CONSTANT (1) << 16;
    if (ext_out)
      *ext_out = ext;
    seq->probation = FALSE;
    seq->restarts++;
    return start_at (seq, ext, MCTX_RTP_SEQ_RESTART);
  }
  seq->probation = TRUE;
  seq->pending = number + 1;
  seq->stray++;
  if (ext_out)
    *ext_out = ext;
  return MCTX_RTP_SEQ_STRAY;
}

MctxRtpSeqResult
mctx_rtp_seq_push (MctxRtpSeq * seq, guint16 number, guint64 * ext_out)
{
  gint16 delta;
  guint64 ext;

  if (!seq->started) {
    /* start high enough that numbers a little behind the first one still
     * have a non-negative extended value */
    ext = (G_GUINT64_CONSTANT (1) << 16) + number;
    if (ext_out)
      *ext_out = ext;
    return start_at (seq, ext, MCTX_RTP_SEQ_FIRST);
  }

  ext = mctx_rtp_seq_extend (seq->highest, number);
  delta = (gint16) (ext - seq->highest);

  if (delta > MCTX_RTP_SEQ_MAX_JUMP || -(gint) delta >= MCTX_RTP_SEQ_WINDOW)
    return far_away (seq, number, ext, delta, ext_out);
  seq->probation = FALSE;
  if (ext_out)
    *ext_out = ext;

  if (delta > 0) {
    guint64 e;

    /* the skipped numbers are lost until they arrive late; their window
     * bits (left over from WINDOW numbers ago) are cleared on the way */
    seq->lost += delta - 1;
    if (delta >= MCTX_RTP_SEQ_WINDOW)
      memset (seq->window, 0, sizeof (seq->window));
    else
      for (e = seq->highest + 1; e < ext; e++)
        bit_clear (seq, e);
    seq->highest = ext;
    bit_set (seq, ext);
    return MCTX_RTP_SEQ_NEXT;
  }

  if (bit_get (seq, ext)) {
    seq->duplicates++;
    return MCTX_RTP_SEQ_DUPLICATE;
  }
  bit_set (seq, ext);
  seq->reordered++;
  if (seq->lost > 0)
    seq->lost--;
  return MCTX_RTP_SEQ_REORDERED;
}
