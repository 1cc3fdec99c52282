/* kuu-server-private.h: what the HTTP side's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "kuu-connection-guard.h"
#include "kuu-rate-limit.h"
#include "kuu-server.h"
#include "kuu-server-writer.h"

G_BEGIN_DECLS

/* libsoup 3.2 has no name for it. */
#define KUU_STATUS_TOO_MANY_REQUESTS 429

/* What a request carries from one handler to the next and to its log
 * line (g_object_set_data on the SoupServerMessage). */
#define KUU_MSG_STARTED_KEY   "kuu-started"
#define KUU_MSG_DEVICE_KEY    "kuu-device"
#define KUU_MSG_ADMIN_KEY     "kuu-admin"
#define KUU_MSG_REMOTE_KEY    "kuu-remote"
#define KUU_MSG_CHECKED_KEY   "kuu-token-checked"  /* the token was looked up from the headers */
#define KUU_MSG_PRINCIPAL_KEY "kuu-principal"      /* … and found valid: whose it is */

/* Connections waiting to be accepted; see listening_socket() in kuu-server.c. */
#define KUU_SERVER_LISTEN_BACKLOG 1024

struct _KuuServer
{
  GObject           parent_instance;

  SoupServer       *soup;
  KuuServerStorage *store;         /* the storage interface (SQLite, or another) */
  KuuServerWriter  *writer;        /* stores the batches, in a thread */
  KuuServerRegions *regions;
  KuuRateLimit     *token_limit;   /* per device or admin token */
  KuuRateLimit     *client_limit;  /* per client address, before a token is known */
  KuuConnectionGuard *guard;       /* slow requests and connections per address */
  GSocket          *socket;        /* where it listens */
  gboolean          https;
};

/* Which roles may call an endpoint. */
typedef enum
{
  KUU_ALLOW_DEVICE = 1 << KUU_ROLE_DEVICE,
  KUU_ALLOW_READER = 1 << KUU_ROLE_READER,
  KUU_ALLOW_ADMIN  = 1 << KUU_ROLE_ADMIN,
  KUU_ALLOW_VIEWER      = 1 << KUU_ROLE_VIEWER,
  KUU_ALLOW_HANDLER     = 1 << KUU_ROLE_HANDLER,
  KUU_ALLOW_STAFF_ADMIN = 1 << KUU_ROLE_STAFF_ADMIN,
  KUU_ALLOW_STAFF       = KUU_ALLOW_VIEWER | KUU_ALLOW_HANDLER | KUU_ALLOW_STAFF_ADMIN,
} KuuAllow;

void          _kuu_server_respond_json  (SoupServerMessage *msg,
                                         guint              status,
                                         JsonNode          *body);
void          _kuu_server_respond_error (SoupServerMessage *msg,
                                         guint              status,
                                         const char        *code,
                                         const char        *message);
gboolean      _kuu_server_check_method  (SoupServerMessage *msg,
                                         const char        *method);
JsonNode     *_kuu_server_read_body     (SoupServerMessage *msg);

/* kuu-server-auth.c */
KuuPrincipal *_kuu_server_authorize     (KuuServer         *self,
                                         SoupServerMessage *msg,
                                         KuuAllow           allow);
void          _kuu_server_check_token   (KuuServer         *self,
                                         SoupServerMessage *msg);
gboolean      _kuu_server_take_client   (KuuServer         *self,
                                         SoupServerMessage *msg);
gboolean      _kuu_server_client_is_blocked (KuuServer         *self,
                                             SoupServerMessage *msg);
char         *_kuu_server_format_time   (gint64             seconds);
const char   *_kuu_server_bearer_token  (SoupServerMessage *msg);
void          _kuu_server_audit         (KuuServer          *self,
                                         SoupServerMessage  *msg,
                                         const KuuPrincipal *principal,
                                         const char         *action,
                                         const char         *subject,
                                         const char         *detail);
/* kuu-server-query.c */
gboolean      _kuu_server_parse_query   (SoupServerMessage  *msg,
                                         const char * const *allowed,
                                         GHashTable        **out_query);

/* kuu-server-csv.c */
typedef struct
{
  gboolean desk;       /* a staff token: the desk's columns */
  gboolean contacts;   /* the contact columns too */
  char     separator;  /* ';' or ',' */
} KuuCsvFormat;

GBytes       *_kuu_server_make_csv      (KuuServerStorage      *reader,
                                         const KuuReportQuery  *query,
                                         const KuuCsvFormat    *format,
                                         guint                 *out_rows,
                                         GError               **error);

/* The handlers in files of their own. */
void          _kuu_server_on_enrol_cb       (SoupServer        *soup,
                                             SoupServerMessage *msg,
                                             const char        *path,
                                             GHashTable        *query,
                                             gpointer           user_data);
void          _kuu_server_on_submissions_cb (SoupServer        *soup,
                                             SoupServerMessage *msg,
                                             const char        *path,
                                             GHashTable        *query,
                                             gpointer           user_data);
void          _kuu_server_on_initiatives_cb (SoupServer        *soup,
                                             SoupServerMessage *msg,
                                             const char        *path,
                                             GHashTable        *query,
                                             gpointer           user_data);
void          _kuu_server_on_nps_report_cb  (SoupServer        *soup,
                                             SoupServerMessage *msg,
                                             const char        *path,
                                             GHashTable        *query,
                                             gpointer           user_data);
void          _kuu_server_on_results_cb        (SoupServer        *soup,
                                                SoupServerMessage *msg,
                                                const char        *path,
                                                GHashTable        *query,
                                                gpointer           user_data);
void          _kuu_server_on_staff_sign_in_cb  (SoupServer        *soup,
                                                SoupServerMessage *msg,
                                                const char        *path,
                                                GHashTable        *query,
                                                gpointer           user_data);
void          _kuu_server_on_staff_me_cb       (SoupServer        *soup,
                                                SoupServerMessage *msg,
                                                const char        *path,
                                                GHashTable        *query,
                                                gpointer           user_data);
void          _kuu_server_on_staff_sign_out_cb (SoupServer        *soup,
                                                SoupServerMessage *msg,
                                                const char        *path,
                                                GHashTable        *query,
                                                gpointer           user_data);
void          _kuu_server_on_answers_csv_cb (SoupServer        *soup,
                                             SoupServerMessage *msg,
                                             const char        *path,
                                             GHashTable        *query,
                                             gpointer           user_data);

G_END_DECLS
