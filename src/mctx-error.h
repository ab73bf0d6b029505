/* libmctx - IP multicast sender/receiver library
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "mctx-inside.h"

#include <glib.h>
#include "mctx-version.h"

G_BEGIN_DECLS

/**
 * MCTX_ERROR:
 *
 * Error domain for libmctx. Errors in this domain are from the #MctxError
 * enumeration. Would-block conditions are reported in the %G_IO_ERROR domain
 * as %G_IO_ERROR_WOULD_BLOCK instead, so callers can treat them like any
 * other non-blocking GLib I/O.
 */
#define MCTX_ERROR (mctx_error_quark ())

/**
 * MctxError:
 * @MCTX_ERROR_FAILED: generic failure with no more specific code.
 * @MCTX_ERROR_INVALID_ADDRESS: a string is not an IPv4 or IPv6 address.
 * @MCTX_ERROR_NOT_MULTICAST: a group address is not a multicast address.
 * @MCTX_ERROR_INVALID_PORT: a port is 0 or out of range.
 * @MCTX_ERROR_INVALID_SOURCE: a source address cannot be used (multicast,
 *   unspecified, or not an address of this host for a sender).
 * @MCTX_ERROR_FAMILY_MISMATCH: addresses of different families were mixed.
 * @MCTX_ERROR_INTERFACE_NOT_FOUND: no interface has that name, index or
 *   address.
 * @MCTX_ERROR_AMBIGUOUS_INTERFACE: an interface address belongs to more than
 *   one interface.
 * @MCTX_ERROR_INTERFACE_MISMATCH: two settings name different interfaces
 *   (name vs index, source vs interface).
 * @MCTX_ERROR_SSM_NEEDS_SOURCES: a source-specific group (232/8, ff3x::/32)
 *   was given without sources.
 * @MCTX_ERROR_INCLUDE_AND_EXCLUDE: include and exclude source lists were
 *   both given.
 * @MCTX_ERROR_SCOPE_REQUIRED: an IPv6 interface- or link-local group
 *   (ff_1, ff_2) was given without an interface.
 * @MCTX_ERROR_INVALID_SCOPE: a scope id was given where none applies.
 * @MCTX_ERROR_INVALID_VALUE: a number is out of range (TTL, DSCP, sizes) or
 *   a list has empty or duplicate entries.
 * @MCTX_ERROR_DUPLICATE: a context already holds an equal publication or
 *   subscription.
 * @MCTX_ERROR_TOO_MANY_SOURCES: more sources than the kernel allows per
 *   filter (see `net.ipv4.igmp_max_msf`).
 * @MCTX_ERROR_TOO_MANY_MEMBERSHIPS: more groups on one socket than the
 *   kernel allows (see `net.ipv4.igmp_max_memberships`).
 * @MCTX_ERROR_NOT_OPEN: the object must be opened first.
 * @MCTX_ERROR_ALREADY_OPEN: the setting cannot change while open.
 * @MCTX_ERROR_MESSAGE_TOO_LARGE: a datagram is larger than the path allows
 *   (EMSGSIZE); only that datagram is affected.
 * @MCTX_ERROR_SOCKET: a system call failed; the message has its errno text.
 * @MCTX_ERROR_PERMISSION: a system call was refused for lack of privilege.
 * @MCTX_ERROR_NETWORK_DOWN: the outgoing interface is down or gone, or no
 *   route leads to the group; the datagram was not sent. Sending again
 *   later works once the interface is back (a publication re-finds an
 *   interface of the same name by itself).
 *
 * Error codes of the %MCTX_ERROR domain. Every message names the offending
 * value.
 */
typedef enum
{
  MCTX_ERROR_FAILED,
  MCTX_ERROR_INVALID_ADDRESS,
  MCTX_ERROR_NOT_MULTICAST,
  MCTX_ERROR_INVALID_PORT,
  MCTX_ERROR_INVALID_SOURCE,
  MCTX_ERROR_FAMILY_MISMATCH,
  MCTX_ERROR_INTERFACE_NOT_FOUND,
  MCTX_ERROR_AMBIGUOUS_INTERFACE,
  MCTX_ERROR_INTERFACE_MISMATCH,
  MCTX_ERROR_SSM_NEEDS_SOURCES,
  MCTX_ERROR_INCLUDE_AND_EXCLUDE,
  MCTX_ERROR_SCOPE_REQUIRED,
  MCTX_ERROR_INVALID_SCOPE,
  MCTX_ERROR_INVALID_VALUE,
  MCTX_ERROR_DUPLICATE,
  MCTX_ERROR_TOO_MANY_SOURCES,
  MCTX_ERROR_TOO_MANY_MEMBERSHIPS,
  MCTX_ERROR_NOT_OPEN,
  MCTX_ERROR_ALREADY_OPEN,
  MCTX_ERROR_MESSAGE_TOO_LARGE,
  MCTX_ERROR_SOCKET,
  MCTX_ERROR_PERMISSION,
  MCTX_ERROR_NETWORK_DOWN,
} MctxError;

MCTX_AVAILABLE_IN_ALL
GQuark mctx_error_quark (void);

MCTX_AVAILABLE_IN_ALL
const gchar *mctx_error_get_setting (const GError * error);

G_END_DECLS
