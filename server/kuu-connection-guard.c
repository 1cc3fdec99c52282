/* kuu-connection-guard.c
 *
 * SoupServer waits for a request as long as a client likes and accepts as
 * many connections as the process has file descriptors. A client that
 * opens connections and sends a header line now and then ("slowloris")
 * would use them all up, and no kiosk could send: seen with 1 030 such
 * connections against a server with the usual limit of 1 024.
 *
 * So each request must be read in full within a time limit, a kept-alive
 * connection may sit idle only as long, and one address (an IPv6 /64, as
 * for the rate limits) may hold only so many connections at once. A
 * connection over a bound is closed.
 *
 * An address at its bound is often many kiosks behind one NAT, and one
 * client there must not lock the others out by holding every connection
 * half-open. So the new connection is taken, and the address's oldest
 * connection that does not carry a request with a valid token is closed
 * in its place (kuu_connection_guard_trust(): the server says so once it
 * has read the headers); only when every one of them does is the new one
 * refused.
 *
 * Over TLS, libsoup 3.2 shows a connection only once its handshake is done:
 * one that never finished it was neither counted nor timed (seen: all
 * still open after 76 s with a 2 s limit). So the guard accepts TLS
 * connections itself, counts each at once, gives its handshake the same
 * time as a request, and hands the finished stream to libsoup
 * (soup_server_accept_iostream()). libsoup then knows no GSocket for its
 * messages: the guard finds it by the client's address and port.
 *
 * The idle limit also guards against a leak: libsoup 3.2 (Debian 12) never
 * notices that a client closed an idle kept-alive connection and keeps its
 * descriptor open for good (fixed in libsoup 3.3, GNOME/libsoup commit
 * d20c6601): seen here as 51 open after 50 requests. The server answers
 * with "Connection: close" for the same reason (kuu-server.c); this holds
 * should a connection stay open anyway.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "kuu-connection-guard.h"

#define TIMER_KEY "kuu-connection-guard-timer"  /* on a message: its time to be read */
#define IDLE_KEY  "kuu-connection-guard-idle"   /* on a socket: its time to start another */
#define TRUST_KEY "kuu-connection-guard-trusted" /* on a socket: a valid token's request under way */
#define HANDSHAKE_KEY "kuu-connection-guard-handshake" /* on a socket: its TLS handshake's cancellable */

/* Every so many new connections, addresses with none left are forgotten. */
#define SWEEP_EVERY 1024

struct _KuuConnectionGuard
{
  GObject          parent_instance;

  guint            request_timeout;
  guint            max_per_address;
  GHashTable      *sockets;      /* address key → GPtrArray of GWeakRef to its GSockets, oldest first */
  guint            until_sweep;

  GSocketService  *service;      /* accepts TLS connections */
  GTlsCertificate *certificate;
  GWeakRef         server;       /* the SoupServer handshaken streams go to */
  GHashTable      *handed_over;  /* "address:port" → GWeakRef to the GSocket under a TLS stream */
};

/* A TLS handshake under way, with its time limit. */
typedef struct
{
  KuuConnectionGuard *self;
  GSocketConnection  *connection;
  GCancellable       *cancellable;
  GSource            *timer;
} Handshake;

G_DEFINE_FINAL_TYPE (KuuConnectionGuard, kuu_connection_guard, G_TYPE_OBJECT)

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static void shut_down (GSocket *socket);

/* Whether the client has closed a connection that waits, idle, for its
 * next request: its end of the stream is there to read. */
static gboolean
closed_by_client (GSocket *socket)
{
  char byte;

  if (g_object_get_data (G_OBJECT (socket), IDLE_KEY) == NULL)
    return FALSE;  /* a request is under way: libsoup sees to it */
  if (!(g_socket_condition_check (socket, G_IO_IN | G_IO_HUP | G_IO_ERR) & (G_IO_IN | G_IO_HUP | G_IO_ERR)))
    return FALSE;
  return recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
}

/* A connection is over once its socket is closed, or once its client has
 * closed it while idle, which libsoup 3.2 misses (see above): closed here
 * then. The objects' lifetime says nothing: libsoup may keep them. */
static void
prune (GPtrArray *sockets)
{
  for (guint i = sockets->len; i > 0; i--)
    {
      g_autoptr(GSocket) socket = g_weak_ref_get (g_ptr_array_index (sockets, i - 1));

      if (socket != NULL && !g_socket_is_closed (socket) && closed_by_client (socket))
        shut_down (socket);
      if (socket == NULL || g_socket_is_closed (socket))
        g_ptr_array_remove_index (sockets, i - 1);
    }
}

static void
sweep (KuuConnectionGuard *self)
{
  GHashTableIter iter;
  GPtrArray *sockets;
  GWeakRef *ref;

  g_hash_table_iter_init (&iter, self->sockets);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&sockets))
    {
      prune (sockets);
      if (sockets->len == 0)
        g_hash_table_iter_remove (&iter);
    }

  g_hash_table_iter_init (&iter, self->handed_over);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&ref))
    {
      g_autoptr(GSocket) socket = g_weak_ref_get (ref);

      if (socket == NULL || g_socket_is_closed (socket))
        g_hash_table_iter_remove (&iter);
    }
}

/* The GSocket under @msg: libsoup's own, or the one under a TLS stream
 * the guard handed over. */
static GSocket *
socket_of (KuuConnectionGuard *self,
           SoupServerMessage  *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  GSocketAddress *remote;
  g_autofree char *key = NULL;
  GWeakRef *ref;

  if (socket != NULL)
    return g_object_ref (socket);
  if ((remote = soup_server_message_get_remote_address (msg)) == NULL)
    return NULL;
  key = g_socket_connectable_to_string (G_SOCKET_CONNECTABLE (remote));
  if ((ref = g_hash_table_lookup (self->handed_over, key)) == NULL)
    return NULL;
  return g_weak_ref_get (ref);
}

/**
 * kuu_connection_guard_address_key:
 *
 * Returns: the key of a client's address: the address itself, or its /64
 *   for IPv6, where one client usually has a whole /64 to itself.
 */
char *
kuu_connection_guard_address_key (GSocketAddress *address)
{
  GInetAddress *inet;
  guint8 bytes[16];
  g_autoptr(GInetAddress) prefix = NULL;
  g_autofree char *text = NULL;

  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return g_strdup ("-");
  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address));
  if (g_inet_address_get_family (inet) != G_SOCKET_FAMILY_IPV6 || g_inet_address_get_is_loopback (inet))
    return g_inet_address_to_string (inet);

  memcpy (bytes, g_inet_address_to_bytes (inet), sizeof bytes);
  memset (bytes + 8, 0, 8);
  prefix = g_inet_address_new_from_bytes (bytes, G_SOCKET_FAMILY_IPV6);
  text = g_inet_address_to_string (prefix);
  return g_strconcat (text, "/64", NULL);
}

/* Closed through the GSocket libsoup holds: it marks itself closed, so
 * libsoup's next read fails cleanly and never touches a descriptor number
 * the system may have given to a new connection meanwhile. A TLS
 * handshake under way waits on the socket in another thread, which a
 * close would not wake: it is cancelled, and its end closes the socket. */
static void
shut_down (GSocket *socket)
{
  GCancellable *handshake = g_object_get_data (G_OBJECT (socket), HANDSHAKE_KEY);

  if (handshake != NULL)
    g_cancellable_cancel (handshake);
  else
    g_socket_close (socket, NULL);
}

static gboolean
on_timeout_cb (gpointer user_data)
{
  GSocket *socket = user_data;

  shut_down (socket);
  return G_SOURCE_REMOVE;
}

static gboolean
on_idle_timeout_cb (gpointer user_data)
{
  g_autoptr(GSocket) socket = g_weak_ref_get (user_data);

  if (socket != NULL)
    shut_down (socket);
  return G_SOURCE_REMOVE;
}

static void
drop_source (gpointer data)
{
  GSource *source = data;

  g_source_destroy (source);  /* nothing if it has run already */
  g_source_unref (source);
}

/* Makes room at a full address: its oldest connection without a valid
 * token's request under way is closed. False when every one has one. */
static gboolean
evict_untrusted (GPtrArray *sockets)
{
  for (guint i = 0; i < sockets->len; i++)
    {
      g_autoptr(GSocket) socket = g_weak_ref_get (g_ptr_array_index (sockets, i));

      if (socket != NULL && g_object_get_data (G_OBJECT (socket), TRUST_KEY) != NULL)
        continue;
      if (socket != NULL)
        shut_down (socket);
      g_ptr_array_remove_index (sockets, i);
      return TRUE;
    }
  return FALSE;
}

/* Counts a connection once, at its first request; false when its address
 * already holds as many as it may and none can make room. */
static gboolean
count_connection (KuuConnectionGuard *self,
                  GSocket            *socket)
{
  g_autoptr(GSocketAddress) address = NULL;
  g_autofree char *key = NULL;
  GPtrArray *sockets;
  GWeakRef *ref;

  if ((address = g_socket_get_remote_address (socket, NULL)) == NULL)
    return FALSE;  /* gone already */

  if (--self->until_sweep == 0)
    {
      sweep (self);
      self->until_sweep = SWEEP_EVERY;
    }

  key = kuu_connection_guard_address_key (address);
  if ((sockets = g_hash_table_lookup (self->sockets, key)) == NULL)
    {
      sockets = g_ptr_array_new_with_free_func (weak_ref_free);
      g_hash_table_insert (self->sockets, g_steal_pointer (&key), sockets);
    }

  prune (sockets);
  for (guint i = 0; i < sockets->len; i++)
    {
      g_autoptr(GSocket) counted = g_weak_ref_get (g_ptr_array_index (sockets, i));

      if (counted == socket)
        return TRUE;  /* the next request on a kept-alive connection */
    }
  if (sockets->len >= self->max_per_address && !evict_untrusted (sockets))
    return FALSE;

  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, socket);
  g_ptr_array_add (sockets, ref);
  return TRUE;
}

static void
on_request_started_cb (SoupServer         *server,
                       SoupServerMessage  *msg,
                       KuuConnectionGuard *self)
{
  g_autoptr(GSocket) socket = socket_of (self, msg);
  GSource *source;

  if (socket == NULL)
    return;
  g_object_set_data (G_OBJECT (socket), IDLE_KEY, NULL);
  g_object_set_data (G_OBJECT (socket), TRUST_KEY, NULL);
  if (!count_connection (self, socket))
    {
      shut_down (socket);
      return;
    }

  /* The timer holds the socket; it goes with the message, at the latest. */
  source = g_timeout_source_new_seconds (self->request_timeout);
  g_source_set_callback (source, on_timeout_cb, g_object_ref (socket), g_object_unref);
  g_source_attach (source, NULL);
  g_object_set_data_full (G_OBJECT (msg), TIMER_KEY, source, drop_source);
}

static void
on_request_read_cb (SoupServer         *server,
                    SoupServerMessage  *msg,
                    KuuConnectionGuard *self)
{
  /* In full: the handler's own time is not the client's to stretch. */
  g_object_set_data (G_OBJECT (msg), TIMER_KEY, NULL);
}

/* Kept alive, the connection waits for the next request: as long as a
 * request may take, no longer. The timer holds the socket weakly. */
static void
on_request_finished_cb (SoupServer         *server,
                        SoupServerMessage  *msg,
                        KuuConnectionGuard *self)
{
  g_autoptr(GSocket) socket = socket_of (self, msg);
  GWeakRef *ref;
  GSource *source;

  if (socket == NULL || g_socket_is_closed (socket))
    return;

  g_object_set_data (G_OBJECT (socket), TRUST_KEY, NULL);
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, socket);
  source = g_timeout_source_new_seconds (self->request_timeout);
  g_source_set_callback (source, on_idle_timeout_cb, ref, weak_ref_free);
  g_source_attach (source, NULL);
  g_object_set_data_full (G_OBJECT (socket), IDLE_KEY, source, drop_source);
}

static void
handshake_free (Handshake *handshake)
{
  g_source_destroy (handshake->timer);
  g_source_unref (handshake->timer);
  g_object_unref (handshake->cancellable);
  g_object_unref (handshake->connection);
  g_object_unref (handshake->self);
  g_free (handshake);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Handshake, handshake_free)

static gboolean
on_handshake_timeout_cb (gpointer user_data)
{
  shut_down (user_data);
  return G_SOURCE_REMOVE;
}

static void
hand_over (KuuConnectionGuard *self,
           Handshake          *handshake,
           GIOStream          *tls)
{
  g_autoptr(SoupServer) server = g_weak_ref_get (&self->server);
  GSocket *socket = g_socket_connection_get_socket (handshake->connection);
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (handshake->connection, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (handshake->connection, NULL);
  GWeakRef *ref;

  if (server == NULL || local == NULL || remote == NULL)
    {
      shut_down (socket);
      return;
    }
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, socket);
  g_hash_table_replace (self->handed_over, g_socket_connectable_to_string (G_SOCKET_CONNECTABLE (remote)), ref);
  if (!soup_server_accept_iostream (server, tls, local, remote, NULL))
    shut_down (socket);
}

static void
on_handshake_done_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(Handshake) handshake = user_data;

  g_object_set_data (G_OBJECT (g_socket_connection_get_socket (handshake->connection)), HANDSHAKE_KEY, NULL);
  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, NULL))
    shut_down (g_socket_connection_get_socket (handshake->connection));
  else
    hand_over (handshake->self, handshake, G_IO_STREAM (source));
}

static gboolean
on_incoming_cb (GSocketService     *service,
                GSocketConnection  *connection,
                GObject            *source_object,
                KuuConnectionGuard *self)
{
  GSocket *socket = g_socket_connection_get_socket (connection);
  g_autoptr(GIOStream) tls = NULL;
  Handshake *handshake;

  if (!count_connection (self, socket) ||
      !(tls = g_tls_server_connection_new (G_IO_STREAM (connection), self->certificate, NULL)))
    {
      shut_down (socket);
      return TRUE;
    }
  /* As libsoup has it: a client may just close the connection. */
  g_object_set (tls, "require-close-notify", FALSE, NULL);

  handshake = g_new0 (Handshake, 1);
  handshake->self = g_object_ref (self);
  handshake->connection = g_object_ref (connection);
  handshake->cancellable = g_cancellable_new ();
  g_object_set_data_full (G_OBJECT (socket), HANDSHAKE_KEY, g_object_ref (handshake->cancellable), g_object_unref);
  handshake->timer = g_timeout_source_new_seconds (self->request_timeout);
  g_source_set_callback (handshake->timer, on_handshake_timeout_cb, g_object_ref (socket), g_object_unref);
  g_source_attach (handshake->timer, NULL);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT, handshake->cancellable,
                                    on_handshake_done_cb, handshake);
  return TRUE;
}

static void
kuu_connection_guard_dispose (GObject *object)
{
  KuuConnectionGuard *self = (KuuConnectionGuard *)object;

  if (self->service != NULL)
    {
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
    }
  g_clear_object (&self->service);
  g_clear_object (&self->certificate);

  G_OBJECT_CLASS (kuu_connection_guard_parent_class)->dispose (object);
}

static void
kuu_connection_guard_finalize (GObject *object)
{
  KuuConnectionGuard *self = (KuuConnectionGuard *)object;

  g_hash_table_unref (self->sockets);
  g_hash_table_unref (self->handed_over);
  g_weak_ref_clear (&self->server);

  G_OBJECT_CLASS (kuu_connection_guard_parent_class)->finalize (object);
}

static void
kuu_connection_guard_class_init (KuuConnectionGuardClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = kuu_connection_guard_dispose;
  G_OBJECT_CLASS (klass)->finalize = kuu_connection_guard_finalize;
}

static void
kuu_connection_guard_init (KuuConnectionGuard *self)
{
  self->sockets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
  self->until_sweep = SWEEP_EVERY;
  self->handed_over = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, weak_ref_free);
  g_weak_ref_init (&self->server, NULL);
}

KuuConnectionGuard *
kuu_connection_guard_new (guint request_timeout,
                          guint max_per_address)
{
  KuuConnectionGuard *self;

  g_return_val_if_fail (request_timeout > 0 && max_per_address > 0, NULL);

  self = g_object_new (KUU_TYPE_CONNECTION_GUARD, NULL);
  self->request_timeout = request_timeout;
  self->max_per_address = max_per_address;
  return self;
}

/* The guard must live as long as @server. */
void
kuu_connection_guard_attach (KuuConnectionGuard *self,
                             SoupServer         *server)
{
  g_return_if_fail (KUU_IS_CONNECTION_GUARD (self));
  g_return_if_fail (SOUP_IS_SERVER (server));

  g_signal_connect_object (server, "request-started", G_CALLBACK (on_request_started_cb), self, 0);
  g_signal_connect_object (server, "request-read", G_CALLBACK (on_request_read_cb), self, 0);
  g_signal_connect_object (server, "request-finished", G_CALLBACK (on_request_finished_cb), self, 0);
}

/**
 * kuu_connection_guard_listen_tls:
 * @socket: a listening socket
 *
 * Accepts HTTPS connections on @socket for @server (instead of
 * soup_server_listen_socket()), each counted and timed from its first
 * byte. Call after kuu_connection_guard_attach().
 */
gboolean
kuu_connection_guard_listen_tls (KuuConnectionGuard  *self,
                                 SoupServer          *server,
                                 GSocket             *socket,
                                 GTlsCertificate     *certificate,
                                 GError             **error)
{
  g_return_val_if_fail (KUU_IS_CONNECTION_GUARD (self), FALSE);
  g_return_val_if_fail (SOUP_IS_SERVER (server), FALSE);
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), FALSE);
  g_return_val_if_fail (self->service == NULL, FALSE);

  self->service = g_socket_service_new ();
  if (!g_socket_listener_add_socket (G_SOCKET_LISTENER (self->service), socket, NULL, error))
    return FALSE;
  self->certificate = g_object_ref (certificate);
  g_weak_ref_set (&self->server, server);
  g_signal_connect_object (self->service, "incoming", G_CALLBACK (on_incoming_cb), self, 0);
  g_socket_service_start (self->service);
  return TRUE;
}

/**
 * kuu_connection_guard_trust:
 *
 * Says that @msg carries a valid token: until it is finished, its
 * connection is not closed to make room for another of its address.
 */
void
kuu_connection_guard_trust (KuuConnectionGuard *self,
                            SoupServerMessage  *msg)
{
  g_autoptr(GSocket) socket = NULL;

  g_return_if_fail (KUU_IS_CONNECTION_GUARD (self));
  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));

  if ((socket = socket_of (self, msg)) != NULL)
    g_object_set_data (G_OBJECT (socket), TRUST_KEY, GINT_TO_POINTER (TRUE));
}

/* The connections an address holds now. */
guint
kuu_connection_guard_count (KuuConnectionGuard *self,
                            const char         *address_key)
{
  GPtrArray *sockets;

  g_return_val_if_fail (KUU_IS_CONNECTION_GUARD (self), 0);

  if ((sockets = g_hash_table_lookup (self->sockets, address_key)) == NULL)
    return 0;
  prune (sockets);
  return sockets->len;
}
