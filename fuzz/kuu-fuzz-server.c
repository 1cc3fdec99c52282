/* kuu-fuzz-server.c: the reference server in-process
 *
 * The request goes to the real KuuServer (its SoupServer, its handlers,
 * its store on a temporary database) as raw bytes over one end of a
 * socket pair (soup_server_accept_iostream), and the raw answer comes
 * back on the other. No TCP and no client library in between: every byte
 * of the request is the fuzzer's, nothing waits on the network, and the
 * server sees a real end of input when the request is all sent. (An
 * in-memory GIOStream was tried first: libsoup 3.2 never notices its end,
 * so the connection never closes.) The server listens on 127.0.0.1 too,
 * as kuu_server_listen() is what sets up its handlers, but nothing
 * connects there.
 *
 * "@DEVICE@", "@READER@", "@ADMIN@" and "@STAFF@" (a staff admin's) in a request stand for the tokens
 * of an enrolled device (KUU_FUZZ_REGION) and of the two admin roles,
 * which are made afresh for each database.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kuu-fuzz.h"
#include "kuu-fuzz-server.h"
#include "kuu-server-private.h"
#include "kuu-server-store.h"

typedef struct
{
  KuuServer *server;
  char      *device_token;
  char      *reader_token;
  char      *admin_token;
  char      *staff_token;
  char      *path;
} Server;

static Server current;

static void
discard_print (const char *text)
{
}

static void
server_stop (void)
{
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;

  if (current.server == NULL)
    return;
  g_clear_object (&current.server);
  /* The server's worker threads may hold the store a moment longer. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  wal = g_strconcat (current.path, "-wal", NULL);
  shm = g_strconcat (current.path, "-shm", NULL);
  remove (current.path);
  remove (wal);
  remove (shm);
  g_clear_pointer (&current.device_token, g_free);
  g_clear_pointer (&current.reader_token, g_free);
  g_clear_pointer (&current.admin_token, g_free);
  g_clear_pointer (&current.staff_token, g_free);
  g_clear_pointer (&current.path, g_free);
}

/* One server for the whole run: starting one (a database, tokens hashed
 * with Argon2id) takes seconds on a busy machine, which libFuzzer would
 * count against an input as a timeout. The database grows with the
 * accepted records meanwhile, in /dev/shm. */
static void
server_start (void)
{
  static guint generation;
  g_autofree char *name = g_strdup_printf ("server-%u.db", generation++);
  g_autoptr(KuuServerStore) store = NULL;
  g_autoptr(KuuServerRegions) regions = kuu_server_regions_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *device_id = NULL;
  g_autofree char *region = NULL;
  g_autofree char *staff_code = NULL;
  g_autofree char *staff_id = NULL;
  g_autoptr(KuuStaff) staff = NULL;

  current.path = kuu_fuzz_temp_path (name);
  if (!(store = kuu_server_store_open (current.path, &error)) ||
      !kuu_server_regions_add_bundled (regions, &error) ||
      !(code = kuu_server_store_add_enrolment_code (store, KUU_FUZZ_REGION, "Fuzz", G_TIME_SPAN_DAY, &error)) ||
      !kuu_server_store_enrol (store, code, &device_id, &current.device_token, &region, &error) ||
      !(current.reader_token = kuu_server_store_add_admin_token (store, KUU_ROLE_READER, "reader", NULL, &error)) ||
      !(current.admin_token = kuu_server_store_add_admin_token (store, KUU_ROLE_ADMIN, "admin", NULL, &error)) ||
      !(staff_code = kuu_server_storage_add_staff (KUU_SERVER_STORAGE (store), KUU_FUZZ_REGION, "Fuzz",
                                                   KUU_ROLE_STAFF_ADMIN, G_TIME_SPAN_DAY, &staff_id, &error)) ||
      !(staff = kuu_server_storage_sign_in_staff (KUU_SERVER_STORAGE (store), staff_code, &current.staff_token,
                                                  &error)))
    {
      fprintf (stderr, "fuzz server: %s\n", error->message);
      abort ();
    }
  current.server = kuu_server_new (KUU_SERVER_STORAGE (store), regions);
  /* Far more than a fuzzer sends a minute: the limits are counted, but
   * they refuse nothing, so every input reaches the handlers. */
  kuu_server_set_rate_limits (current.server, G_MAXINT32, G_MAXINT32, KUU_SERVER_MAX_RATE_KEYS);
  if (!kuu_server_listen (current.server, "127.0.0.1:0", NULL, &error))
    {
      fprintf (stderr, "fuzz server: %s\n", error->message);
      abort ();
    }
}

static void
replace_all (GString    *text,
             const char *placeholder,
             const char *value)
{
  g_string_replace (text, placeholder, value, 0);
}

static void
ensure_server (void)
{
  static gboolean registered;

  kuu_fuzz_init ();
  if (current.server != NULL)
    return;
  /* The server logs each request to stderr; a fuzzer sends millions. */
  g_set_printerr_handler (discard_print);
  server_start ();
  if (!registered)
    atexit (server_stop);
  registered = TRUE;
}

/* The enrolled device's token, for a request made with it. */
const char *
kuu_fuzz_server_get_device_token (void)
{
  ensure_server ();
  return current.device_token;
}

/**
 * kuu_fuzz_server_exchange:
 * @request: raw HTTP/1.1, one request or more
 * @placeholders: whether to put the tokens in for @DEVICE@, @READER@,
 *   @ADMIN@ and @STAFF@
 *
 * Returns: everything the server wrote back before it closed the
 *   connection
 */
GBytes *
kuu_fuzz_server_exchange (const guint8 *request,
                          gsize         size,
                          gboolean      placeholders)
{
  g_autoptr(GString) text = g_string_new_len ((const char *)request, size);
  g_autoptr(GByteArray) answer = g_byte_array_new ();
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) local = g_inet_socket_address_new (loopback, 8470);
  g_autoptr(GSocketAddress) remote = g_inet_socket_address_new (loopback, 40000);
  g_autoptr(GError) error = NULL;
  gsize written = 0;
  gboolean shut = FALSE;
  int fds[2];

  ensure_server ();
  if (placeholders)
    {
      replace_all (text, "@DEVICE@", current.device_token);
      replace_all (text, "@READER@", current.reader_token);
      replace_all (text, "@ADMIN@", current.admin_token);
      replace_all (text, "@STAFF@", current.staff_token);
    }

  /* A connected pair of sockets: the server's end is a connection as
   * SoupServer gets one from a listener, with a real end of input when
   * the client is done. */
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, fds) != 0 ||
      !(socket = g_socket_new_from_fd (fds[0], &error)))
    {
      fprintf (stderr, "fuzz server: no socket pair: %s\n", error ? error->message : g_strerror (errno));
      abort ();
    }
  connection = g_socket_connection_factory_create_connection (socket);
  if (!soup_server_accept_iostream (current.server->soup, G_IO_STREAM (connection), local, remote, &error))
    {
      fprintf (stderr, "fuzz server: %s\n", error->message);
      abort ();
    }
  /* The server's own now: it closes the socket when it lets go. */
  g_clear_object (&connection);
  g_clear_object (&socket);

  /* Send what fits, read what came, let the server run; until it closes
   * its end. The server's report threads wake the loop when they are done. */
  for (;;)
    {
      guint8 buffer[16384];
      ssize_t n;

      if (written < text->len)
        {
          n = send (fds[1], text->str + written, text->len - written, MSG_NOSIGNAL);
          if (n > 0)
            written += n;
          else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
            written = text->len;  /* the server closed early: the rest is not read */
        }
      if (written == text->len && !shut)
        {
          shutdown (fds[1], SHUT_WR);
          shut = TRUE;
        }
      while ((n = recv (fds[1], buffer, sizeof buffer, 0)) > 0)
        g_byte_array_append (answer, buffer, n);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
        break;
      /* Block only when there is nothing left to send this moment. */
      g_main_context_iteration (NULL, written == text->len);
    }
  close (fds[1]);
  /* Let the server finish with its end of the connection. */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  return g_byte_array_free_to_bytes (g_steal_pointer (&answer));
}
