/* kuu-server-query.c
 *
 * The query-string checker every handler goes through: the query as
 * sent, not libsoup's table of it (which keeps the last of a repeated
 * name), each name checked against the ones its path takes, so that a
 * client never believes a parameter the server ignored had an effect.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "kuu-server-private.h"

/* A name or value from the query, percent-decoded ('+' is a space, as in
 * a form); NULL for a broken escape, %00 or text that is not UTF-8. */
static char *
decode_query_part (const char *part,
                   gsize       length)
{
  g_autofree char *plus = g_strndup (part, length);
  g_autofree char *text = NULL;

  g_strdelimit (plus, "+", ' ');
  text = g_uri_unescape_string (plus, NULL);
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;
  return g_steal_pointer (&text);
}

static gboolean
refuse_query (SoupServerMessage *msg,
              const char        *message)
{
  _kuu_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", message);
  return FALSE;
}

/* A client's name in a message: never longer than 40 characters. */
static char *
shorten (const char *name)
{
  return g_utf8_substring (name, 0, MIN (g_utf8_strlen (name, -1), 40));
}

/* One "name=value" of the query into @table, or FALSE with the response
 * set. */
static gboolean
add_query_parameter (SoupServerMessage  *msg,
                     const char         *piece,
                     const char * const *allowed,
                     GHashTable         *table)
{
  const char *equals = strchr (piece, '=');
  g_autofree char *name = decode_query_part (piece, equals != NULL ? (gsize)(equals - piece) : strlen (piece));
  g_autofree char *value = equals != NULL ? decode_query_part (equals + 1, strlen (equals + 1)) : g_strdup ("");
  g_autofree char *shown = NULL;
  g_autofree char *message = NULL;

  if (name == NULL || value == NULL)
    return refuse_query (msg, "The query string is not percent-encoded UTF-8.");
  if (*name == '\0')
    return refuse_query (msg, "A query parameter has no name.");
  shown = shorten (name);
  if (allowed == NULL)
    message = g_strdup_printf ("This path takes no query parameters; remove “%s”.", shown);
  else if (!g_strv_contains (allowed, name))
    message = g_strdup_printf ("Unknown parameter “%s”.", shown);
  else if (g_hash_table_contains (table, name))
    message = g_strdup_printf ("The parameter “%s” is given more than once; give it once.", shown);
  if (message != NULL)
    return refuse_query (msg, message);
  g_hash_table_insert (table, g_steal_pointer (&name), g_steal_pointer (&value));
  return TRUE;
}

/**
 * _kuu_server_parse_query:
 * @allowed: (nullable) (array zero-terminated=1): the names this path
 *   takes; %NULL when it takes none
 * @out_query: (out) (transfer full) (optional): name → decoded value
 *
 * Reads the query string as sent. libsoup's own table keeps the last of a
 * repeated parameter: "contacts=1&contacts=0" and "contacts=0&contacts=1"
 * would answer differently, and a proxy or a log may have read the other
 * one. So a repeated, unknown or undecodable parameter is refused, as is
 * any parameter where a path takes none: a client that sends what the
 * server ignores is told, not left to believe it had an effect.
 *
 * Returns: %FALSE with a 400 `bad_request` response set
 */
gboolean
_kuu_server_parse_query (SoupServerMessage   *msg,
                         const char * const  *allowed,
                         GHashTable         **out_query)
{
  GUri *uri = soup_server_message_get_uri (msg);
  const char *query = uri != NULL ? g_uri_get_query (uri) : NULL;
  g_autoptr(GHashTable) table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) pieces = NULL;

  if (query != NULL && *query != '\0')
    {
      pieces = g_strsplit (query, "&", 0);
      for (guint i = 0; pieces[i] != NULL; i++)
        if (!add_query_parameter (msg, pieces[i], allowed, table))
          return FALSE;
    }
  if (out_query != NULL)
    *out_query = g_steal_pointer (&table);
  return TRUE;
}
