/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Included by every public header: they are parts of <mctx.h>, not
 * headers of their own. (No include guard: the check runs each time.) */
#if !defined(MCTX_INSIDE) && !defined(MCTX_COMPILATION)
#error "Only <mctx.h> can be included directly."
#endif
