/* Parsing and validation: addresses, lists, publication and subscription
 * settings.  Every error code is checked together with its message, which
 * must name the offending value.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mctx-test-netns.h"

#include <string.h>

/* ---------------------------------------------------------------------- */
/* MctxAddress parsing                                                     */

typedef struct
{
  const gchar *text;
  GSocketFamily family;
  const gchar *canonical;       /* mctx_address_to_string() result */
  gboolean multicast, ssm, needs_interface, unspecified, link_local;
} ParseCase;

static void
test_parse (void)
{
  /* lo is index 1 in a fresh namespace: "%lo" and "%1" are the same. */
  static const ParseCase cases[] = {
    {"239.1.2.3", G_SOCKET_FAMILY_IPV4, "239.1.2.3", TRUE, FALSE, FALSE,
        FALSE, FALSE},
    {"224.0.0.1", G_SOCKET_FAMILY_IPV4, "224.0.0.1", TRUE, FALSE, FALSE,
        FALSE, FALSE},
    {"239.255.255.255", G_SOCKET_FAMILY_IPV4, "239.255.255.255", TRUE,
        FALSE, FALSE, FALSE, FALSE},
    {"232.1.1.1", G_SOCKET_FAMILY_IPV4, "232.1.1.1", TRUE, TRUE, FALSE,
        FALSE, FALSE},
    {"223.255.255.255", G_SOCKET_FAMILY_IPV4, "223.255.255.255", FALSE,
        FALSE, FALSE, FALSE, FALSE},
    {"240.0.0.1", G_SOCKET_FAMILY_IPV4, "240.0.0.1", FALSE, FALSE, FALSE,
        FALSE, FALSE},
    {"10.1.2.3", G_SOCKET_FAMILY_IPV4, "10.1.2.3", FALSE, FALSE, FALSE,
        FALSE, FALSE},
    {"0.0.0.0", G_SOCKET_FAMILY_IPV4, "0.0.0.0", FALSE, FALSE, FALSE, TRUE,
        FALSE},
    {"169.254.1.1", G_SOCKET_FAMILY_IPV4, "169.254.1.1", FALSE, FALSE,
        FALSE, FALSE, TRUE},
    {"ff3e::1234", G_SOCKET_FAMILY_IPV6, "ff3e::1234", TRUE, TRUE, FALSE,
        FALSE, FALSE},
    {"ff32::8000:1", G_SOCKET_FAMILY_IPV6, "ff32::8000:1", TRUE, TRUE,
        TRUE, FALSE, FALSE},
    {"ff1e::1", G_SOCKET_FAMILY_IPV6, "ff1e::1", TRUE, FALSE, FALSE, FALSE,
        FALSE},
    {"ff05::2", G_SOCKET_FAMILY_IPV6, "ff05::2", TRUE, FALSE, FALSE, FALSE,
        FALSE},
    {"FF02::1", G_SOCKET_FAMILY_IPV6, "ff02::1", TRUE, FALSE, TRUE, FALSE,
        FALSE},
    {"ff01::1", G_SOCKET_FAMILY_IPV6, "ff01::1", TRUE, FALSE, TRUE, FALSE,
        FALSE},
    {"ff02::1%lo", G_SOCKET_FAMILY_IPV6, "ff02::1%1", TRUE, FALSE, TRUE,
        FALSE, FALSE},
    {"ff02::1%1", G_SOCKET_FAMILY_IPV6, "ff02::1%1", TRUE, FALSE, TRUE,
        FALSE, FALSE},
    {"[ff1e::5]", G_SOCKET_FAMILY_IPV6, "ff1e::5", TRUE, FALSE, FALSE,
        FALSE, FALSE},
    {"fd00:99::1", G_SOCKET_FAMILY_IPV6, "fd00:99::1", FALSE, FALSE, FALSE,
        FALSE, FALSE},
    {"fe80::1%lo", G_SOCKET_FAMILY_IPV6, "fe80::1%1", FALSE, FALSE, FALSE,
        FALSE, TRUE},
    {"::", G_SOCKET_FAMILY_IPV6, "::", FALSE, FALSE, FALSE, TRUE, FALSE},
  };
  /* not addresses: refused, naming the text (the setting, when empty) */
  static const gchar *const bad[] = {
    "", "239.1.2", "239.1.2.256", "239.1.2.3.4", "group.example", "ff3e::g",
    "ff3e:::1", " 239.1.2.3x", "239.1.2.3%lo", "ff02::1%", "[ff02::1",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    const ParseCase *c = &cases[i];
    MctxAddress addr;
    GError *error = NULL;
    gboolean ok;

    g_test_message ("parse '%s'", c->text);
    memset (&addr, 0xaa, sizeof addr);
    ok = mctx_address_parse (c->text, "group", &addr, &error);
    g_assert_no_error (error);
    g_assert_true (ok);
    g_assert_cmpint (addr.family, ==, c->family);
    {
      gchar *s = mctx_address_to_string (&addr);

      g_assert_cmpstr (s, ==, c->canonical);
      g_free (s);
    }
    g_assert_cmpint (mctx_address_is_multicast (&addr), ==, c->multicast);
    g_assert_cmpint (mctx_address_is_ssm (&addr), ==, c->ssm);
    g_assert_cmpint (mctx_address_needs_interface (&addr), ==,
        c->needs_interface);
    g_assert_cmpint (mctx_address_is_unspecified (&addr), ==, c->unspecified);
    g_assert_cmpint (mctx_address_is_link_local (&addr), ==, c->link_local);
    if (!strchr (c->text, '%'))
      g_assert_cmpuint (addr.scope_id, ==, 0);
  }
  for (i = 0; i < G_N_ELEMENTS (bad) + 1; i++) {
    const gchar *text = i < G_N_ELEMENTS (bad) ? bad[i] : "ff02::1%nosuchif0";
    MctxAddress addr;
    GError *error = NULL;

    g_test_message ("parse '%s'", text);
    g_assert_false (mctx_address_parse (text, "group", &addr, &error));
    /* An empty text cannot be quoted; the setting's name can. */
    if (i == G_N_ELEMENTS (bad))
      mctx_test_assert_error (&error, MCTX_ERROR,
          MCTX_ERROR_INTERFACE_NOT_FOUND, "nosuchif0");
    else
      mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_INVALID_ADDRESS,
          text[0] ? text : "group");
  }
}

static void
test_equal_and_convert (void)
{
  MctxAddress a, b, c;
  GInetAddress *inet;
  GError *error = NULL;

  g_assert_true (mctx_address_parse ("ff3e::1", NULL, &a, &error));
  g_assert_true (mctx_address_parse ("FF3E:0:0::1", NULL, &b, &error));
  g_assert_no_error (error);
  g_assert_true (mctx_address_equal (&a, &b));

  g_assert_true (mctx_address_parse ("ff3e::2", NULL, &c, &error));
  g_assert_false (mctx_address_equal (&a, &c));
  /* Same bytes, different scope: not the same address. */
  g_assert_true (mctx_address_parse ("ff02::1%lo", NULL, &b, &error));
  g_assert_true (mctx_address_parse ("ff02::1", NULL, &c, &error));
  g_assert_false (mctx_address_equal (&b, &c));
  /* Different families never compare equal. */
  g_assert_true (mctx_address_parse ("239.0.0.1", NULL, &b, &error));
  g_assert_true (mctx_address_parse ("::ffff:239.0.0.1", NULL, &c, &error));
  g_assert_false (mctx_address_equal (&b, &c));

  inet = mctx_address_to_inet_address (&a);
  g_assert_cmpint (g_inet_address_get_family (inet), ==, G_SOCKET_FAMILY_IPV6);
  g_assert_true (g_inet_address_get_is_multicast (inet));
  mctx_address_from_inet_address (inet, &c);
  g_assert_true (mctx_address_equal (&a, &c));
  g_object_unref (inet);

  inet = g_inet_address_new_from_string ("10.99.0.2");
  mctx_address_from_inet_address (inet, &c);
  g_object_unref (inet);
  g_assert_cmpint (c.family, ==, G_SOCKET_FAMILY_IPV4);
  g_assert_cmpuint (c.scope_id, ==, 0);
  g_assert_cmpmem (c.bytes, 4, ((guint8[]) {10, 99, 0, 2}), 4);

  /* Boxed type copies. */
  {
    MctxAddress *copy = g_boxed_copy (MCTX_TYPE_ADDRESS, &a);

    g_assert_true (mctx_address_equal (copy, &a));
    g_boxed_free (MCTX_TYPE_ADDRESS, copy);
  }
}

/* mctx_parse_group() and mctx_parse_source(): a good one is taken (a
 * group is multicast), a bad one refused with the code, naming @needle
 * (NULL: the text itself) */
typedef struct
{
  const gchar *text;
  gint code;                    /* -1: must succeed */
  const gchar *needle;
} CheckCase;

static const CheckCase group_cases[] = {
  {"239.1.1.1", -1},
  {"ff3e::8000:1", -1},
  {"ff02::1%lo", -1},
  {"10.1.2.3", MCTX_ERROR_NOT_MULTICAST},
  {"fd00::7", MCTX_ERROR_NOT_MULTICAST},
  {"224.0.0.256", MCTX_ERROR_INVALID_ADDRESS},
  /* a scope id on a global group means nothing */
  {"ff3e::1%lo", MCTX_ERROR_INVALID_SCOPE},
};

static const CheckCase source_cases[] = {
  {"10.99.0.1", -1},
  {"fd00:99::1", -1},
  {"fe80::1%lo", -1},
  {"239.9.9.9", MCTX_ERROR_INVALID_SOURCE},
  {"ff3e::9", MCTX_ERROR_INVALID_SOURCE},
  {"0.0.0.0", MCTX_ERROR_INVALID_SOURCE},
  {"::", MCTX_ERROR_INVALID_SOURCE, "'::'"},
  {"10.0.0", MCTX_ERROR_INVALID_ADDRESS},
  {"fd00::1%lo", MCTX_ERROR_INVALID_SCOPE},
};

static void
test_parse_group_and_source (void)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (group_cases) + G_N_ELEMENTS (source_cases);
      i++) {
    gboolean group = i < G_N_ELEMENTS (group_cases);
    const CheckCase *c = group ? &group_cases[i] :
        &source_cases[i - G_N_ELEMENTS (group_cases)];
    MctxAddress addr;
    GError *error = NULL;
    gboolean ok = group ?
        mctx_parse_group (c->text, "group", &addr, &error) :
        mctx_parse_source (c->text, "source", &addr, &error);

    g_test_message ("%s '%s'", group ? "group" : "source", c->text);
    if (c->code < 0) {
      g_assert_no_error (error);
      g_assert_true (ok);
      if (group)
        g_assert_true (mctx_address_is_multicast (&addr));
    } else {
      g_assert_false (ok);
      mctx_test_assert_error (&error, MCTX_ERROR, c->code,
          c->needle ? c->needle : c->text);
    }
  }
}

/* lists that must be refused, with the error code and what its message
 * names */
typedef struct
{
  gboolean addresses;           /* mctx_parse_address_list(), else
                                 * mctx_split_list() */
  const gchar *text, *setting;
  gint code;
  const gchar *needle;
} BadList;

static const BadList bad_lists[] = {
  /* Empty entries and duplicates are mistakes, not something to skip. */
  {FALSE, "a0,,b0", "interfaces", MCTX_ERROR_INVALID_VALUE, "interfaces"},
  {FALSE, "a0,b0,", "interfaces", MCTX_ERROR_INVALID_VALUE, "a0,b0,"},
  {FALSE, ",a0", "interfaces", MCTX_ERROR_INVALID_VALUE, ",a0"},
  {FALSE, "a0,b0,a0", "interfaces", MCTX_ERROR_INVALID_VALUE, "a0"},
  {TRUE, "10.99.0.1,,10.99.0.2", "sources",
      MCTX_ERROR_INVALID_VALUE, "sources"},
  {TRUE, "10.99.0.1,10.99.0.1", "sources",
      MCTX_ERROR_INVALID_VALUE, "10.99.0.1"},
  /* Textually different, the same address: still a duplicate. */
  {TRUE, "fd00::1,FD00:0::1", "sources", MCTX_ERROR_INVALID_VALUE, "sources"},
  {TRUE, "10.99.0.1,fd00:99::1", "sources",
      MCTX_ERROR_FAMILY_MISMATCH, "fd00:99::1"},
  {TRUE, "10.99.0.1,239.1.1.1", "sources",
      MCTX_ERROR_INVALID_SOURCE, "239.1.1.1"},
  {TRUE, "10.99.0.1,bogus", "sources", MCTX_ERROR_INVALID_ADDRESS, "bogus"},
};

static void
test_lists (void)
{
  GError *error = NULL;
  gchar **strv;
  GArray *arr;
  gchar *s;
  guint i;

  strv = mctx_split_list ("a0,b0,lo", "interfaces", &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (strv, ((const gchar *[]) {"a0", "b0", "lo", NULL}));
  g_strfreev (strv);

  strv = mctx_split_list ("a0", "interfaces", &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (strv, ((const gchar *[]) {"a0", NULL}));
  g_strfreev (strv);


  arr = mctx_parse_address_list ("10.99.0.1,10.99.0.2", "sources", &error);
  g_assert_no_error (error);
  g_assert_nonnull (arr);
  g_assert_cmpuint (arr->len, ==, 2);
  s = mctx_address_to_string (&g_array_index (arr, MctxAddress, 1));
  g_assert_cmpstr (s, ==, "10.99.0.2");
  g_free (s);
  g_array_unref (arr);

  arr = mctx_parse_address_list ("fd00:99::1,fd00:99::2,fd00:99::3",
      "sources", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (arr->len, ==, 3);
  g_assert_cmpint (g_array_index (arr, MctxAddress, 2).family, ==,
      G_SOCKET_FAMILY_IPV6);
  g_array_unref (arr);

  for (i = 0; i < G_N_ELEMENTS (bad_lists); i++) {
    const BadList *c = &bad_lists[i];

    if (c->addresses)
      g_assert_null (mctx_parse_address_list (c->text, c->setting, &error));
    else
      g_assert_null (mctx_split_list (c->text, c->setting, &error));
    mctx_test_assert_error (&error, MCTX_ERROR, c->code, c->needle);
  }
}

static void
test_port (void)
{
  GError *error = NULL;

  g_assert_true (mctx_check_port (1, "port", FALSE, &error));
  g_assert_true (mctx_check_port (65535, "port", FALSE, &error));
  g_assert_true (mctx_check_port (0, "source-port", TRUE, &error));
  g_assert_no_error (error);
  g_assert_false (mctx_check_port (0, "port", FALSE, &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_INVALID_PORT, "0");
  g_assert_false (mctx_check_port (65536, "port", FALSE, &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_INVALID_PORT,
      "65536");
}

/* ---------------------------------------------------------------------- */
/* Publication validation                                                  */

typedef struct
{
  const gchar *group;
  guint port;
  const gchar *source;
  const gchar *interface;
  const gchar *index_of;        /* interface-index = index of this name */
  guint index;                  /* or this literal index */
  gint code;                    /* 0 (never expected): valid */
  const gchar *needle;
  const gchar *needle2;
} PubCase;

static const PubCase pub_cases[] = {
  /* valid ones, to show the failures are not just "everything fails" */
  {"239.1.1.1", 5000},
  {"239.1.1.1", 5000, "10.1.0.1"},
  {"239.1.1.1", 5000, NULL, "a0"},
  {"239.1.1.1", 5000, NULL, "10.1.0.1"},
  {"239.1.1.1", 5000, NULL, "a0", "a0"},
  {"239.1.1.1", 5000, NULL, NULL, "a1"},
  {"ff1e::1", 5000, "fd01::1", "a0"},
  {"ff11::1", 5000, NULL, "lo"},
  {"ff12::1%a0", 5000},
  {"232.1.1.1", 5000, "10.1.0.1"},
  /* port and addresses */
  {"239.1.1.1", 0, NULL, NULL, NULL, 0, MCTX_ERROR_INVALID_PORT, "port"},
  {"not-an-ip", 5000, NULL, NULL, NULL, 0, MCTX_ERROR_INVALID_ADDRESS,
      "not-an-ip"},
  {"10.1.2.3", 5000, NULL, NULL, NULL, 0, MCTX_ERROR_NOT_MULTICAST,
      "10.1.2.3"},
  {"fd01::9", 5000, NULL, NULL, NULL, 0, MCTX_ERROR_NOT_MULTICAST, "fd01::9"},
  {"239.1.1.1", 5000, "239.9.9.9", NULL, NULL, 0, MCTX_ERROR_INVALID_SOURCE,
      "239.9.9.9"},
  {"239.1.1.1", 5000, "0.0.0.0", NULL, NULL, 0, MCTX_ERROR_INVALID_SOURCE,
      "0.0.0.0"},
  {"ff1e::1", 5000, "::", NULL, NULL, 0, MCTX_ERROR_INVALID_SOURCE, "'::'"},
  {"239.1.1.1", 5000, "fd00:99::1", NULL, NULL, 0,
      MCTX_ERROR_FAMILY_MISMATCH, "fd00:99::1"},
  {"ff1e::1", 5000, "10.99.0.1", NULL, NULL, 0, MCTX_ERROR_FAMILY_MISMATCH,
      "10.99.0.1"},
  {"239.1.1.1", 5000, NULL, "fd01::1", NULL, 0, MCTX_ERROR_FAMILY_MISMATCH,
      "fd01::1"},
  /* interfaces */
  {"239.1.1.1", 5000, NULL, "eth9", NULL, 0, MCTX_ERROR_INTERFACE_NOT_FOUND,
      "eth9", "a0"},
  {"239.1.1.1", 5000, NULL, NULL, NULL, 999, MCTX_ERROR_INTERFACE_NOT_FOUND,
      "999"},
  {"239.1.1.1", 5000, NULL, "10.77.0.1", NULL, 0,
      MCTX_ERROR_INTERFACE_NOT_FOUND, "10.77.0.1"},
  {"239.1.1.1", 5000, NULL, "10.50.0.1", NULL, 0,
      MCTX_ERROR_AMBIGUOUS_INTERFACE, "10.50.0.1"},
  {"239.1.1.1", 5000, NULL, "a0", "a1", 0, MCTX_ERROR_INTERFACE_MISMATCH,
      "a0"},
  {"ff1e::1", 5000, "fd01::1", "a1", NULL, 0, MCTX_ERROR_INTERFACE_MISMATCH,
      "fd01::1"},
  {"ff1e::1", 5000, "fd01::1", NULL, "a1", 0, MCTX_ERROR_INTERFACE_MISMATCH,
      "fd01::1"},
  /* IPv6 scopes that need an interface */
  {"ff12::1", 5000, NULL, NULL, NULL, 0, MCTX_ERROR_SCOPE_REQUIRED,
      "ff12::1"},
  {"ff11::1", 5000, NULL, NULL, NULL, 0, MCTX_ERROR_SCOPE_REQUIRED,
      "ff11::1"},
  {"ff32::8000:1", 5000, NULL, NULL, NULL, 0, MCTX_ERROR_SCOPE_REQUIRED,
      "ff32::8000:1"},
};

static MctxPublication *
pub_from_case (const PubCase * c)
{
  MctxPublication *pub = mctx_publication_new (c->group, c->port);

  g_test_message ("publication %s:%u source=%s interface=%s index=%s/%u",
      c->group, c->port, c->source, c->interface, c->index_of, c->index);
  if (c->source)
    g_object_set (pub, "source", c->source, NULL);
  if (c->interface)
    g_object_set (pub, "interface", c->interface, NULL);
  if (c->index_of)
    g_object_set (pub, "interface-index", mctx_test_ifindex (c->index_of),
        NULL);
  else if (c->index)
    g_object_set (pub, "interface-index", c->index, NULL);
  return pub;
}

/* the error names needle (and needle2) */
static void
check_error (GError ** error, gint code, const gchar * needle,
    const gchar * needle2)
{
  if (needle2 && *error && strstr ((*error)->message, needle2) == NULL)
    g_error ("error message '%s' does not mention '%s'", (*error)->message,
        needle2);
  mctx_test_assert_error (error, MCTX_ERROR, code, needle);
}

/* validate() and open() must agree: with code 0 both succeed (the object
 * is open with an fd, a subscription joined, and closes); otherwise both
 * fail with the code and leave it closed.  Takes @obj. */
static void
check_validate_open (gpointer obj, gint code, const gchar * needle,
    const gchar * needle2)
{
  GError *error = NULL;
  gboolean ok = mctx_test_obj_validate (obj, &error);

  if (code == 0) {
    g_assert_no_error (error);
    g_assert_true (ok);
    g_assert_true (mctx_test_obj_open (obj, &error));
    g_assert_no_error (error);
    g_assert_true (mctx_test_obj_is_open (obj));
    if (MCTX_IS_SUBSCRIPTION (obj))
      g_assert_true (mctx_subscription_is_joined (obj));
    g_assert_cmpint (mctx_test_obj_get_fd (obj), >=, 0);
    mctx_test_obj_close (obj);
    g_assert_false (mctx_test_obj_is_open (obj));
  } else {
    g_assert_false (ok);
    check_error (&error, code, needle, needle2);
    g_assert_false (mctx_test_obj_open (obj, &error));
    check_error (&error, code, needle, needle2);
    g_assert_false (mctx_test_obj_is_open (obj));
  }
  g_assert_cmpint (mctx_test_obj_get_fd (obj), ==, -1);
  g_object_unref (obj);
}

static void
test_publication_validation (void)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (pub_cases); i++)
    check_validate_open (pub_from_case (&pub_cases[i]), pub_cases[i].code,
        pub_cases[i].needle, pub_cases[i].needle2);
}

/* A source the host does not have cannot be bound. */
static void
test_publication_foreign_source (void)
{
  MctxPublication *pub = mctx_publication_new ("239.1.1.1", 5000);
  GError *error = NULL;

  g_object_set (pub, "source", "10.77.0.1", NULL);
  g_assert_false (mctx_publication_open (pub, &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_INVALID_SOURCE,
      "10.77.0.1");
  g_assert_false (mctx_publication_is_open (pub));
  g_object_unref (pub);
}

/* A failed open leaves the object as it was: fix one property, open. */
static void
test_publication_fix_after_failure (void)
{
  MctxPublication *pub = mctx_publication_new ("239.1.1.1", 5000);
  GError *error = NULL;
  gchar *value = NULL;

  g_object_set (pub, "interface", "eth9", "ttl", 3, NULL);
  g_assert_false (mctx_publication_open (pub, &error));
  mctx_test_assert_error (&error, MCTX_ERROR,
      MCTX_ERROR_INTERFACE_NOT_FOUND, "eth9");
  g_assert_false (mctx_publication_is_open (pub));
  g_assert_cmpint (mctx_publication_get_fd (pub), ==, -1);
  g_object_get (pub, "interface", &value, NULL);
  g_assert_cmpstr (value, ==, "eth9");
  g_free (value);

  g_object_set (pub, "interface", "a0", NULL);
  g_assert_true (mctx_publication_open (pub, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (mctx_publication_get_effective_interface_index (pub), ==,
      mctx_test_ifindex ("a0"));
  {
    gint ttl = 0;

    g_object_get (pub, "ttl", &ttl, NULL);
    g_assert_cmpint (ttl, ==, 3);
  }
  g_object_unref (pub);
}

static void
test_publication_not_open (void)
{
  MctxPublication *pub = mctx_publication_new ("239.1.1.1", 5000);
  GError *error = NULL;

  g_assert_cmpint (mctx_publication_send (pub, (const guint8 *) "x", 1,
          &error), ==, -1);
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_NOT_OPEN, NULL);
  g_assert_cmpint (mctx_publication_get_fd (pub), ==, -1);
  g_assert_null (mctx_publication_get_local_address (pub));
  g_object_unref (pub);
}

static void
test_publication_live_values (void)
{
  MctxPublication *pub = mctx_test_publication ("239.1.1.1", 5000, NULL);
  GError *error = NULL;
  gint ttl = 0, dscp = 0;

  g_assert_false (mctx_publication_set_ttl (pub, 300, &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_INVALID_VALUE, "300");
  g_assert_false (mctx_publication_set_ttl (pub, -1, &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_INVALID_VALUE, "-1");
  g_assert_false (mctx_publication_set_dscp (pub, 64, &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_INVALID_VALUE, "64");
  g_assert_false (mctx_publication_set_dscp (pub, -2, &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_INVALID_VALUE, "-2");

  /* refused values changed nothing */
  g_object_get (pub, "ttl", &ttl, "dscp", &dscp, NULL);
  g_assert_cmpint (ttl, ==, 1);
  g_assert_cmpint (dscp, ==, -1);
  g_object_unref (pub);
}

/* ---------------------------------------------------------------------- */
/* Subscription validation                                                 */

typedef struct
{
  const gchar *group;
  guint port;
  const gchar *interfaces;      /* comma list, split here */
  const gchar *sources;
  const gchar *exclude;
  gint code;                    /* 0 (never expected): valid */
  const gchar *needle;
} SubCase;

static const SubCase sub_cases[] = {
  {"239.1.1.1", 5000},
  {"239.1.1.1", 5000, "a1"},
  {"239.1.1.1", 5000, "a1,lo"},
  {"239.1.1.1", 5000, "10.1.0.2"},
  {"239.1.1.1", 5000, "all"},
  {"232.1.1.1", 5000, NULL, "10.1.0.1"},
  {"232.1.1.1", 5000, NULL, "10.1.0.1,10.99.0.1"},
  /* sources on a non-SSM group: IGMPv3 include mode, allowed */
  {"239.1.1.1", 5000, NULL, "10.1.0.1"},
  {"239.1.1.1", 5000, NULL, NULL, "10.1.0.1"},
  {"ff3e::8000:1", 5000, "a1", "fd01::1"},
  {"ff11::1", 5000, "lo"},
  /* failures */
  {"239.1.1.1", 0, NULL, NULL, NULL, MCTX_ERROR_INVALID_PORT, "port"},
  {"nonsense", 5000, NULL, NULL, NULL, MCTX_ERROR_INVALID_ADDRESS,
      "nonsense"},
  {"10.1.0.2", 5000, NULL, NULL, NULL, MCTX_ERROR_NOT_MULTICAST, "10.1.0.2"},
  {"232.1.1.1", 5000, NULL, NULL, NULL, MCTX_ERROR_SSM_NEEDS_SOURCES,
      "232.1.1.1"},
  {"ff3e::8000:1", 5000, "a1", NULL, NULL, MCTX_ERROR_SSM_NEEDS_SOURCES,
      "ff3e::8000:1"},
  /* exclude-only on an SSM group is not a source list either */
  {"232.1.1.1", 5000, NULL, NULL, "10.1.0.1", MCTX_ERROR_SSM_NEEDS_SOURCES,
      "232.1.1.1"},
  {"239.1.1.1", 5000, NULL, "10.1.0.1", "10.99.0.1",
      MCTX_ERROR_INCLUDE_AND_EXCLUDE, NULL},
  {"239.1.1.1", 5000, NULL, "fd01::1", NULL, MCTX_ERROR_FAMILY_MISMATCH,
      "fd01::1"},
  {"239.1.1.1", 5000, NULL, NULL, "fd01::1", MCTX_ERROR_FAMILY_MISMATCH,
      "fd01::1"},
  {"ff3e::8000:1", 5000, "a1", "10.1.0.1", NULL, MCTX_ERROR_FAMILY_MISMATCH,
      "10.1.0.1"},
  {"239.1.1.1", 5000, "fd01::2", NULL, NULL, MCTX_ERROR_FAMILY_MISMATCH,
      "fd01::2"},
  {"239.1.1.1", 5000, NULL, "10.1.0.1,10.1.0.1", NULL,
      MCTX_ERROR_INVALID_VALUE, "10.1.0.1"},
  {"239.1.1.1", 5000, NULL, "10.1.0.1,", NULL, MCTX_ERROR_INVALID_VALUE,
      "sources"},
  {"239.1.1.1", 5000, NULL, NULL, "10.1.0.1,,10.99.0.1",
      MCTX_ERROR_INVALID_VALUE, NULL},
  {"239.1.1.1", 5000, "a1,a1", NULL, NULL, MCTX_ERROR_INVALID_VALUE, "a1"},
  {"239.1.1.1", 5000, "a1,", NULL, NULL, MCTX_ERROR_INVALID_VALUE,
      "interfaces"},
  {"239.1.1.1", 5000, NULL, "239.2.2.2", NULL, MCTX_ERROR_INVALID_SOURCE,
      "239.2.2.2"},
  {"239.1.1.1", 5000, NULL, NULL, "239.2.2.2", MCTX_ERROR_INVALID_SOURCE,
      "239.2.2.2"},
  {"232.1.1.1", 5000, NULL, "0.0.0.0", NULL, MCTX_ERROR_INVALID_SOURCE,
      "0.0.0.0"},
  {"239.1.1.1", 5000, NULL, "10.1.0.x", NULL, MCTX_ERROR_INVALID_ADDRESS,
      "10.1.0.x"},
  {"239.1.1.1", 5000, "eth9", NULL, NULL, MCTX_ERROR_INTERFACE_NOT_FOUND,
      "eth9"},
  {"239.1.1.1", 5000, "a1,eth9", NULL, NULL, MCTX_ERROR_INTERFACE_NOT_FOUND,
      "eth9"},
  {"239.1.1.1", 5000, "10.77.0.1", NULL, NULL,
      MCTX_ERROR_INTERFACE_NOT_FOUND, "10.77.0.1"},
  {"239.1.1.1", 5000, "10.50.0.1", NULL, NULL,
      MCTX_ERROR_AMBIGUOUS_INTERFACE, "10.50.0.1"},
};

/* Split the test table's comma lists; "" stays an empty entry. */
static gchar **
split (const gchar * text)
{
  return text ? g_strsplit (text, ",", -1) : NULL;
}

static MctxSubscription *
sub_from_case (const SubCase * c)
{
  MctxSubscription *sub = mctx_subscription_new (c->group, c->port);
  gchar **v;

  g_test_message ("subscription %s:%u interfaces=%s sources=%s exclude=%s",
      c->group, c->port, c->interfaces, c->sources, c->exclude);
  if ((v = split (c->interfaces))) {
    g_object_set (sub, "interfaces", v, NULL);
    g_strfreev (v);
  }
  if ((v = split (c->sources))) {
    g_object_set (sub, "sources", v, NULL);
    g_strfreev (v);
  }
  if ((v = split (c->exclude))) {
    g_object_set (sub, "exclude-sources", v, NULL);
    g_strfreev (v);
  }
  return sub;
}

static void
test_subscription_validation (void)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (sub_cases); i++)
    check_validate_open (sub_from_case (&sub_cases[i]), sub_cases[i].code,
        sub_cases[i].needle, NULL);
}

static void
test_subscription_fix_after_failure (void)
{
  MctxSubscription *sub = mctx_subscription_new ("232.1.1.1", 5000);
  GError *error = NULL;
  guint8 buf[16];
  MctxPacketInfo info;

  g_assert_false (mctx_subscription_open (sub, &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_SSM_NEEDS_SOURCES,
      "232.1.1.1");
  g_assert_false (mctx_subscription_is_open (sub));
  g_assert_false (mctx_subscription_is_joined (sub));
  g_assert_cmpint (mctx_subscription_get_fd (sub), ==, -1);
  g_assert_cmpint (mctx_subscription_receive (sub, buf, sizeof buf, &info,
          &error), ==, -1);
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_NOT_OPEN, NULL);

  g_object_set (sub, "sources", (const gchar *[]) {"10.99.0.1", NULL}, NULL);
  g_assert_true (mctx_subscription_open (sub, &error));
  g_assert_no_error (error);
  g_assert_true (mctx_subscription_is_open (sub));
  g_assert_cmpint (mctx_subscription_get_fd (sub), >=, 0);
  g_object_unref (sub);
}

/* interface-index on a subscription: unknown index refused by name */
static void
test_subscription_bad_index (void)
{
  MctxSubscription *sub = mctx_subscription_new ("239.1.1.1", 5000);
  GError *error = NULL;

  g_object_set (sub, "interface-index", 999, NULL);
  g_assert_false (mctx_subscription_validate (sub, &error));
  mctx_test_assert_error (&error, MCTX_ERROR,
      MCTX_ERROR_INTERFACE_NOT_FOUND, "999");
  g_assert_false (mctx_subscription_open (sub, &error));
  mctx_test_assert_error (&error, MCTX_ERROR,
      MCTX_ERROR_INTERFACE_NOT_FOUND, "999");
  g_object_set (sub, "interface-index", mctx_test_ifindex ("a1"), NULL);
  g_assert_true (mctx_subscription_open (sub, &error));
  g_assert_no_error (error);
  g_object_unref (sub);
}

/* links and addresses, in the namespace before any thread exists */
static void
setup (void)
{
  mctx_test_netns_add_link ("a", 1, TRUE, NULL);
  /* One address on two interfaces: ambiguous as an interface spec. */
  mctx_test_run ("ip addr add 10.50.0.1/32 dev a0");
  mctx_test_run ("ip addr add 10.50.0.1/32 dev a1");
}

static const MctxTestCase tests[] = {
  {"/address/parse", test_parse},
  {"/address/equal-convert", test_equal_and_convert},
  {"/address/group-source", test_parse_group_and_source},
  {"/address/lists", test_lists},
  {"/address/port", test_port},
  {"/publication/validation", test_publication_validation},
  {"/publication/foreign-source", test_publication_foreign_source},
  {"/publication/fix-after-failure", test_publication_fix_after_failure},
  {"/publication/not-open", test_publication_not_open},
  {"/publication/live-values", test_publication_live_values},
  {"/subscription/validation", test_subscription_validation},
  {"/subscription/bad-index", test_subscription_bad_index},
  {"/subscription/fix-after-failure", test_subscription_fix_after_failure},
};

MCTX_TEST_MAIN (setup, tests)
